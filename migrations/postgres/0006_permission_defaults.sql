-- Which default grants have been applied, so that a release adding a permission grants
-- it on existing installs too, while a grant an admin removed stays removed.
CREATE TABLE role_permission_defaults (
    role   TEXT NOT NULL,
    object TEXT NOT NULL,
    action TEXT NOT NULL,
    PRIMARY KEY (role, object, action)
);
