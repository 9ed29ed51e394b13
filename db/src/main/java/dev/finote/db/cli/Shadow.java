package dev.finote.db.cli;

import dev.finote.db.schema.ShadowDatabase;

/** Opening the shadow database for a command, saying what it is doing (starting one takes a few seconds). */
final class Shadow {

    private Shadow() {
    }

    static ShadowDatabase open(DbContext context) {
        if (context.env(ShadowDatabase.SHADOW_DATABASE_URL) == null) {
            context.err().println("Starting a shadow PostgreSQL to compare schemas (set " + ShadowDatabase.SHADOW_DATABASE_URL + " to use a server)…");
            context.err().flush();
        }
        ShadowDatabase shadow = ShadowDatabase.open(context.environment());
        try {
            var stale = shadow.dropStale();
            if (!stale.isEmpty()) {
                context.err().println("Dropped " + stale.size() + " shadow database(s) left on the shadow server by an interrupted run: "
                        + String.join(", ", stale));
            }
        } catch (RuntimeException e) {
            shadow.close();
            throw e;
        }
        return shadow;
    }
}
