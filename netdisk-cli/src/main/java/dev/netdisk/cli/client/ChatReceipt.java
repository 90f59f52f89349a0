package dev.netdisk.cli.client;

/**
 * What the server did with a sent chat message ({@code 250 id=N delivered=N stored=N}).
 *
 * @param id        the stored message's id
 * @param delivered connections that got the message at once
 * @param stored    offline recipients who get it at their next login
 */
public record ChatReceipt(long id, int delivered, int stored) {
}
