package io.sundial.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdTest {
    @Test
    void freshIdsAreDistinctVersion4UuidsInCanonicalText() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ApiHandler.freshRequestId();
            UUID uuid = UUID.fromString(id);
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id); // IETF variant (10xx)
            assertEquals(uuid.toString(), id);
            seen.add(id);
        }
        assertEquals(10_000, seen.size());
    }
}
