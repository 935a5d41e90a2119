package dev.carafe.server.http2;

/**
 * HPACK's dynamic table (RFC 7541 §2.3.2, §4): newest entry first, evicted oldest first so its
 * size (name + value + 32 per entry) never exceeds the maximum. A ring of entries.
 */
final class DynamicTable {
    private String[] names = new String[16];
    private String[] values = new String[16];
    private int head; // where the next entry goes
    private int count;
    private int size;
    private int maxSize;

    DynamicTable(int maxSize) {
        this.maxSize = maxSize;
    }

    int count() {
        return count;
    }

    int size() {
        return size;
    }

    int maxSize() {
        return maxSize;
    }

    static int entrySize(String name, String value) {
        return name.length() + value.length() + 32; // ISO-8859-1: one char per octet
    }

    /** Name of entry {@code i}, 1 being the newest. */
    String name(int i) {
        return names[slot(i)];
    }

    String value(int i) {
        return values[slot(i)];
    }

    private int slot(int i) {
        return Math.floorMod(head - i + 1, names.length);
    }

    /** Adds an entry, evicting as needed; an entry larger than the table empties it (§4.4). */
    void add(String name, String value) {
        int s = entrySize(name, value);
        if (s > maxSize) {
            evictTo(0);
            return;
        }
        evictTo(maxSize - s);
        if (count == names.length) grow();
        head = (head + 1) % names.length;
        names[head] = name;
        values[head] = value;
        count++;
        size += s;
    }

    void setMaxSize(int max) {
        maxSize = max;
        evictTo(max);
    }

    private void evictTo(int target) {
        while (size > target) {
            int oldest = slot(count);
            size -= entrySize(names[oldest], values[oldest]);
            names[oldest] = values[oldest] = null;
            count--;
        }
    }

    private void grow() {
        String[] n = new String[names.length * 2], v = new String[names.length * 2];
        for (int i = count; i >= 1; i--) {
            n[count - i + 1] = name(i);
            v[count - i + 1] = value(i);
        }
        names = n;
        values = v;
        head = count;
    }
}
