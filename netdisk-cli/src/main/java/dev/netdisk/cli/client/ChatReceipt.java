package dev.netdisk.cli.client;

/**
 * What the server did with a sent chat message ({@code 250 id=N delivered=N stored=N}).
 *
 * @param id        the stored message's id
 * @param delivered connections that got the message at once
 * @param stored    recipients with no listening connection, who get it when one listens
 */
public record ChatReceipt(long id, int delivered, int stored) {
}
