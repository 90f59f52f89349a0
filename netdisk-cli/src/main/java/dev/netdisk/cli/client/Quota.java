package dev.netdisk.cli.client;

/**
 * Your storage quota ({@code QUOTA}); all values in bytes.
 *
 * @param used       what counts against your quota: files, the trash and unfinished uploads
 * @param trash      the part of {@code used} in the trash
 * @param limit      your quota
 * @param free       {@code limit - used}, never below 0
 * @param uploads    the part of {@code used} reserved by unfinished uploads (their kept bytes included)
 * @param chat       bytes of the chat messages you sent that are stored
 * @param chatLimit  the most {@code chat} may reach; 0: no limit
 * @param entries    files and directories you own, the trash included
 * @param maxEntries the most {@code entries} may reach; 0: no limit
 *
 * <p>A server older than these parts gives 0 for each.
 */
public record Quota(long used, long trash, long limit, long free, long uploads, long chat, long chatLimit,
                    long entries, long maxEntries) {
}
