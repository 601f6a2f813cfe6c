//! Search for seekers, without the database on the way: [`Index`] holds every public posting's
//! tokens and filter values in memory. Each instance builds its own at start from the
//! database and keeps it current from the change sequence the database writes beside every
//! posting change (see `yui_db::search_feed`), so every instance answers alike.
//!
//! Text is matched by the rules of [`yui_domain::search`] (character bigrams for Japanese,
//! whole Latin words), widened by the operators' [`Synonyms`] and by [`readings`] (a word in
//! kana also finds its kanji).

pub mod filter;
pub mod highlight;
mod index;
mod query;
pub mod readings;
mod synonyms;

pub use filter::{Facets, JobSource, JobsFilter, HELLOWORK};
pub use index::{Document, Hits, Index};
pub use synonyms::Synonyms;
