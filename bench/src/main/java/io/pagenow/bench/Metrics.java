package io.pagenow.bench;

import java.util.Map;
import java.util.TreeMap;

/** Reads the server's Prometheus text: the series whose name holds a word, summed by name. */
final class Metrics {

    private Metrics() {
    }

    static Map<String, Double> sum(String prometheusText, String nameContains) {
        Map<String, Double> sums = new TreeMap<>();
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, brace > 0 && brace < space ? brace : line.indexOf(' '));
            if (!name.contains(nameContains) || name.endsWith("_bucket")) {
                continue;
            }
            try {
                sums.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
            } catch (NumberFormatException e) {
                // a value this reader does not understand
            }
        }
        return sums;
    }
}
