package dev.finote.server.config;

import java.util.HashMap;
import java.util.Map;

/**
 * A rough, conservative estimate of how much randomness a secret holds, to refuse values like
 * 32×{@code a}, {@code abcabcabc…} or {@code 0123456789…} that pass a length check. It counts
 * Shannon entropy per character of the secret's characters, after collapsing runs of
 * repeated and sequential characters; {@code openssl rand -hex 32} scores about 200 bits, {@code openssl rand -hex 16} (the shortest accepted) about 70–90.
 */
final class SecretStrength {

    static final double MINIMUM_BITS = 60;

    private SecretStrength() {
    }

    static double estimatedBits(String secret) {
        int[] points = secret.codePoints().toArray();
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < points.length; i++) {
            // A character that repeats or continues a sequence (a→b, 1→2, 9→8) adds nothing an attacker would not guess.
            boolean predictable = i > 0 && Math.abs(points[i] - points[i - 1]) <= 1;
            if (!predictable) kept.appendCodePoint(points[i]);
        }
        Map<Integer, Integer> counts = new HashMap<>();
        kept.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        double total = kept.codePointCount(0, kept.length());
        double perCharacter = 0;
        for (int count : counts.values()) {
            double p = count / total;
            perCharacter -= p * (Math.log(p) / Math.log(2));
        }
        // Repeating a short pattern (abcabc…) keeps the per-character entropy but not the total: count distinct 4-grams too.
        java.util.Set<String> grams = new java.util.HashSet<>();
        for (int i = 0; i + 4 <= kept.length(); i++) grams.add(kept.substring(i, i + 4));
        double effectiveLength = Math.min(total, grams.size() + 3);
        return perCharacter * effectiveLength;
    }
}
