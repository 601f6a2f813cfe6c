// embed_migrations! reads the migrations directories at compile time; without this a new
// migration is only embedded when the crate happens to rebuild for another reason.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
