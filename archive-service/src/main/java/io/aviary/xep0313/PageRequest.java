package io.aviary.xep0313;

/**
 * XEP-0059 paging of a query's result set, in archive order.
 *
 * @param max    at most this many items (the handler caps the client's {@code <max/>})
 * @param after  RSM {@code <after>}: the page that follows the item with this id
 * @param before RSM {@code <before>id</before>}: the page that precedes the item with this id
 * @param last   RSM {@code <before/>} (empty): the last page of the result set
 *               <p>With none of {@code after}, {@code before}, {@code last}: the first page. {@code before} or {@code last}
 *               page backwards; both directions return the page's items oldest first.
 */
public record PageRequest(int max, String after, String before, boolean last) {

    public PageRequest {
        if (max < 0) {
            throw new IllegalArgumentException("max < 0");
        }
        if (after != null && (before != null || last)) {
            throw new IllegalArgumentException("after and before");
        }
    }

    public static PageRequest first(int max) {
        return new PageRequest(max, null, null, false);
    }

    /** Whether the page is taken from the end of the result set backwards. */
    public boolean backwards() {
        return before != null || last;
    }
}
