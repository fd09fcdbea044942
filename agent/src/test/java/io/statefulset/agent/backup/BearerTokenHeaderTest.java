package io.statefulset.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the token is read out of an {@code Authorization} header (RFC 6750: scheme, spaces, token). */
class BearerTokenHeaderTest {
    @Test
    void theTokenAfterTheSchemeInAnyCaseAndSpaces() {
        assertEquals(Optional.of("s3cret"), BearerToken.presentedIn("Bearer s3cret"));
        assertEquals(Optional.of("s3cret"), BearerToken.presentedIn("bEARER \t s3cret \t"));
    }

    @Test
    void controlBytesAroundTheTokenArePartOfWhatWasPresented() {
        // String.trim() would have turned this into "s3cret" (found by RequestFuzzTest).
        assertEquals(Optional.of("\0\0s3cret\u001f"), BearerToken.presentedIn("Bearer \0\0s3cret\u001f"));
    }

    @Test
    void noTokenWithoutTheSchemeItsSpaceOrAToken() {
        assertEquals(Optional.empty(), BearerToken.presentedIn(null));
        assertEquals(Optional.empty(), BearerToken.presentedIn("Basic czNjcmV0"));
        assertEquals(Optional.empty(), BearerToken.presentedIn("Bearers3cret"));
        assertEquals(Optional.empty(), BearerToken.presentedIn("Bearer"));
        assertEquals(Optional.empty(), BearerToken.presentedIn("Bearer  \t "));
    }
}
