package dev.finote.db.backup;

/** Where long operations report how far they are; {@link #NONE} when nobody watches. */
public interface Progress {

    Progress NONE = new Progress() {
        @Override
        public void table(String verb, String table) {
        }

        @Override
        public void rows(long rows, long bytes) {
        }

        @Override
        public void done() {
        }
    };

    /** Starts a table: "backing up notes", "restoring notes". */
    void table(String verb, String table);

    /** Rows and bytes handled so far in the current table. */
    void rows(long rows, long bytes);

    /** The current table is finished. */
    void done();
}
