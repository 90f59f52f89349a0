package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.NetdiskClient;
/**
 * What the parts of one recursive transfer share: the caller's logged-in client (idle once the
 * plan is made), the opener of more connections, how many workers, the caller's cancellation
 * handle, the direction, how identical files are told ({@link SkipIdentical}: {@code checksum}
 * compares MD5s even when size and time match), where uploads on their own record the local
 * file's state (null: nowhere) and the tally. Immutable; the tally and the stamps are thread-safe.
 */
record MirrorRun(NetdiskClient main, RecursiveTransfer.Connections connections, int parallel, Cancellation cancel,
                 boolean uploading, boolean checksum, dev.netdisk.cli.client.UploadStamps stamps, MirrorTally tally) {
}
