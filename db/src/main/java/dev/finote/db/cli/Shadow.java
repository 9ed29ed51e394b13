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
        return ShadowDatabase.open(context.environment());
    }
}
