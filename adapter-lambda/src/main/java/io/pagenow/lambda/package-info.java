/**
 * The AWS transport adapter: Lambda handlers behind API Gateway that hand events to the {@code
 * protocol} module, the {@code ClientPush} implementation over the Management API ({@code
 * ApiGatewayClientPush}), and the functions' composition root ({@code LambdaContainer}).
 */
package io.pagenow.lambda;
