package io.ocppsec.ocpp.rpc;

/**
 * Bounds on what the OCPP-J reader accepts, checked before (or while) anything is allocated.
 *
 * @param maxFrameBytes   the largest frame read, in UTF-8 bytes; larger frames are refused
 *                        before parsing
 * @param maxNestingDepth the deepest nesting of arrays and objects (the frame array counts as 1);
 *                        the deepest OCPP 2.1 payload is well under 16 levels
 * @param maxNumberLength the longest number literal, in characters
 * @param maxNameLength   the longest property name, in characters
 * @param maxTokenCount   the most JSON tokens in one frame
 */
public record RpcLimits(
        int maxFrameBytes,
        int maxNestingDepth,
        int maxNumberLength,
        int maxNameLength,
        long maxTokenCount) {

    /**
     * Defaults: 64 KiB frames (the largest OCPP 2.1 security payload, a Get15118EVCertificate
     * response, is about 17 KB), nesting 32, numbers 64 characters, names 128, 20,000 tokens.
     */
    public static final RpcLimits DEFAULT = new RpcLimits(64 * 1024, 32, 64, 128, 20_000);

    public RpcLimits {
        if (maxFrameBytes < 64) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 64");
        }
        if (maxNestingDepth < 3) {
            throw new IllegalArgumentException("maxNestingDepth must be at least 3");
        }
        if (maxNumberLength < 11 || maxNameLength < 32 || maxTokenCount < 16) {
            throw new IllegalArgumentException("limits too small for OCPP messages");
        }
    }

    public RpcLimits withMaxFrameBytes(int bytes) {
        return new RpcLimits(bytes, maxNestingDepth, maxNumberLength, maxNameLength, maxTokenCount);
    }

    public RpcLimits withMaxNestingDepth(int depth) {
        return new RpcLimits(maxFrameBytes, depth, maxNumberLength, maxNameLength, maxTokenCount);
    }
}
