package dev.finote.db.schema;

/**
 * One privilege granted on a table, view, sequence, function, procedure or schema to a role (or
 * {@code PUBLIC}), from the object's ACL ({@code aclexplode}). The owner's own privileges are
 * implicit and never listed; a function's default {@code EXECUTE} to {@code PUBLIC} is listed
 * (revoking it is a change), and {@link GrantGenerator} knows a new function starts with it.
 *
 * @param objectType {@code TABLE} (tables and views), {@code SEQUENCE}, {@code FUNCTION}, {@code PROCEDURE} or {@code SCHEMA}
 *                   (a schema besides public: public's own privileges belong to the server's setup)
 * @param object     the object's key in its {@link Catalog} map (a routine's signature)
 * @param grantee    the role's name, or {@code PUBLIC}
 * @param privilege  {@code SELECT}, {@code INSERT}, {@code EXECUTE}, {@code USAGE}, …
 * @param grantable  granted {@code WITH GRANT OPTION}
 */
public record Grant(String objectType, String object, String grantee, String privilege, boolean grantable) {

    /** The key in {@link Catalog#grants()}: {@code TABLE notes to reader: SELECT}. */
    public String key() {
        return objectType + " " + object + " to " + grantee + ": " + privilege;
    }

    Grant withGrantable(boolean option) {
        return new Grant(objectType, object, grantee, privilege, option);
    }

    /** {@code TABLE notes}, as GRANT and REVOKE name it. */
    String target() {
        boolean routine = objectType.equals("FUNCTION") || objectType.equals("PROCEDURE");
        return objectType + " " + (routine ? object : Sql.qualified(object));
    }

    /** The grantee as GRANT and REVOKE name it. */
    String granteeSql() {
        return grantee.equals("PUBLIC") ? "PUBLIC" : Sql.ident(grantee);
    }
}
