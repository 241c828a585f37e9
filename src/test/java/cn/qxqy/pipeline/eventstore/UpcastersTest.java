package cn.qxqy.pipeline.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UpcastersTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aVersionOneReservationWithOneCategoryReadsAsAListOfOne() throws Exception {
        JsonNode v1 = mapper.readTree("{\"name\":\"x\",\"category\":\"special-bond\",\"plannedInvestment\":1}");
        JsonNode v2 = Upcasters.upcast("ProjectReserved", 1, v1);
        assertEquals(mapper.readTree("[\"special-bond\"]"), v2.get("categories"));
        assertFalse(v2.has("category"));
        assertEquals("x", v2.get("name").asText());
        assertEquals("special-bond", v1.get("category").asText(), "the stored data is not changed");
    }

    @Test
    void aVersionOneReservationWithoutCategoryReadsAsNoCategories() throws Exception {
        JsonNode v2 = Upcasters.upcast("ProjectReserved", 1, mapper.readTree("{\"name\":\"x\"}"));
        assertEquals(0, v2.get("categories").size());
    }

    @Test
    void currentVersionsPassUnchanged() throws Exception {
        JsonNode data = mapper.readTree("{\"reason\":\"r\"}");
        assertSame(data, Upcasters.upcast("ProjectWithdrawn", 1, data));
        assertEquals(2, Upcasters.current("ProjectReserved"));
        assertEquals(1, Upcasters.current("ProjectSigned"));
    }

    @Test
    void aVersionNewerThanTheServiceIsRefused() throws Exception {
        assertThrows(IllegalStateException.class,
                () -> Upcasters.upcast("ProjectReserved", 3, mapper.readTree("{}")));
    }
}
