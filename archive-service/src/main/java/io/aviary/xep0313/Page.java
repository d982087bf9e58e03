package io.aviary.xep0313;

import java.util.List;

/**
 * One page of a query's result set.
 *
 * @param items    oldest first, whatever the paging direction
 * @param complete whether no matching item lies beyond this page in the paging direction (XEP-0313 §4.3
 *                 {@code <fin complete='true'/>}): after the last item when paging forwards, before the first when
 *                 paging backwards
 * @param count    how many items the whole result set has (XEP-0059 {@code <count/>})
 */
public record Page(List<ArchivedMessage> items, boolean complete, long count) {

    public Page {
        items = List.copyOf(items);
    }
}
