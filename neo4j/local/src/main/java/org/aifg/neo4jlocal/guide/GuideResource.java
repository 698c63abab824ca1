package org.aifg.neo4jlocal.guide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.ws.rs.GET;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Response;

/**
 * Serves neo4j/guide.html (made by neo4j/make_grass.py) at /aifg/guide.html, on Neo4j's own
 * HTTP port: the origin Neo4j Browser runs on, so Browser may fetch it ({@code :guide URL})
 * without any cross-origin headers. Mounted as an unmanaged extension by the Launcher; the
 * file's path comes from NEO4J_LOCAL_GUIDE (set by ../run) and is read on every request, so
 * a regenerated guide shows on the next connect.
 */
@javax.ws.rs.Path("/guide.html")
public final class GuideResource {
    @GET
    @Produces("text/html; charset=utf-8")
    public Response guide() {
        String file = System.getenv("NEO4J_LOCAL_GUIDE");
        if (file == null || file.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity("NEO4J_LOCAL_GUIDE is not set").build();
        }
        try {
            return Response.ok(Files.readString(Path.of(file))).header("Cache-Control", "no-cache").build();
        } catch (IOException e) {
            return Response.status(Response.Status.NOT_FOUND).entity("no guide at " + file + ": " + e).build();
        }
    }
}
