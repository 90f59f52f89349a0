package dev.netdisk.server.transfer;

import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.PartialUploads;

/**
 * What a data connection's transfers work with, built once by the server's wiring
 * ({@code app.NetdiskServer}) and handed to each {@link DataSession}.
 *
 * @param admission the rule for what may be stored where, and the quota (shared with {@code UPLOAD})
 */
public record TransferParts(FileTree tree, BlobStore blobs, PartialUploads partials, Tickets tickets,
                            UploadCommits commits, TransferPools pools, UploadAdmission admission) {
}
