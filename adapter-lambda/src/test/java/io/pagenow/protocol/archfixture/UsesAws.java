package io.pagenow.protocol.archfixture;

import com.amazonaws.services.lambda.runtime.Context;

/** Breaks "AWS only in the Lambda adapter" on purpose: a protocol-side class reading a Lambda context. */
public final class UsesAws {
    public String requestId(Context context) {
        return context.getAwsRequestId();
    }
}
