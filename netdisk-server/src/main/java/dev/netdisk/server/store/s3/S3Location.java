package dev.netdisk.server.store.s3;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where an S3 content store is: {@code s3://BUCKET?endpoint=URL&region=R} ({@code --blob-store}).
 * Without an endpoint the SDK finds AWS's for the region; with one (MinIO, Ceph RGW, s3proxy) the
 * bucket is addressed path-style ({@code URL/BUCKET/key}).
 *
 * @param bucket   the bucket, which must exist
 * @param endpoint the S3 API's base URL, or null for AWS
 * @param region   the signing region, or null for the SDK's default region chain ({@code us-east-1}
 *                 when an endpoint is given and nothing else says)
 */
public record S3Location(String bucket, URI endpoint, String region) {

    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("an s3:// blob store names its bucket: s3://BUCKET?endpoint=URL&region=R");
        }
    }

    /**
     * Parses {@code s3://BUCKET[?endpoint=URL][&region=R]}.
     *
     * @throws IllegalArgumentException with a message for the user when it is not one
     */
    public static S3Location parse(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a blob store URL: " + text + " (s3://BUCKET?endpoint=URL&region=R)");
        }
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an s3://BUCKET?endpoint=URL&region=R blob store: " + text);
        }
        URI endpoint = null;
        String region = null;
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (name) {
                    case "endpoint" -> {
                        endpoint = URI.create(value);
                        if (endpoint.getScheme() == null || endpoint.getHost() == null) {
                            throw new IllegalArgumentException("the endpoint of " + text + " is not a URL: " + value);
                        }
                    }
                    case "region" -> region = value;
                    default -> throw new IllegalArgumentException("unknown parameter " + name + " in " + text
                            + " (endpoint, region)");
                }
            }
        }
        return new S3Location(uri.getHost(), endpoint, region);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (endpoint != null ? " at " + endpoint : "");
    }
}
