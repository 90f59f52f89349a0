package dev.netdisk.cli.client.tls;

import java.security.cert.CertificateException;

/**
 * The client refused the server's certificate, with a message for the person: which rule refused
 * it and what to do. Thrown from the trust manager inside the handshake, found again in the
 * cause chain of the handshake's exception.
 */
public final class TrustRefusedException extends CertificateException {

    TrustRefusedException(String message) {
        super(message);
    }

    TrustRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The refusal inside {@code e}'s causes, or null. */
    public static TrustRefusedException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TrustRefusedException r) {
                return r;
            }
        }
        return null;
    }
}
