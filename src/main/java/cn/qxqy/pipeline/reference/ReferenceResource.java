package cn.qxqy.pipeline.reference;

import cn.qxqy.pipeline.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

@Path("/api/v1/reference")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reference data")
public class ReferenceResource {

    /** One entry of a reference list. */
    public record Entry(String code, String nameZh, String nameEn) {
    }

    private final Pool pool;

    public ReferenceResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @Path("/{list}")
    @Operation(summary = "A reference list: regions, industry-chains, categories or stages")
    public Uni<List<Entry>> list(@PathParam("list") String list) {
        String table = ReferenceData.LISTS.get(list);
        if (table == null) {
            throw Problem.of(404, "Unknown reference list",
                    "'" + list + "' is not one of " + ReferenceData.LISTS.keySet()).exception();
        }
        return pool.query("SELECT code, name_zh, name_en FROM " + table + " ORDER BY sort").execute()
                .map(rows -> {
                    List<Entry> entries = new ArrayList<>(rows.size());
                    rows.forEach(row -> entries.add(new Entry(row.getString("code"), row.getString("name_zh"),
                            row.getString("name_en"))));
                    return entries;
                });
    }
}
