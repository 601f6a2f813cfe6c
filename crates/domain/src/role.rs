use crate::coded_enum;

coded_enum! {
    /// What a staff member may do. Checked on the server for every admin route.
    StaffRole, "staff role" {
        Admin => "admin", "管理者", "Administrator";
        Editor => "editor", "編集者", "Editor";
        Writer => "writer", "ライター", "Writer";
    }
}
