//! What every source's `parse` produces: the sender's own ids and a flat list of
//! (question label, answer) pairs, in the order the form asked them.

/// One answered question, labelled as the form labelled it. Several choices are joined
/// with 「、」; numbers, booleans and dates are written out as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormAnswers {
    /// The sender's id for this delivery (eventId, event_id, the Google response id). `None`
    /// where the id travels in a header instead (Standard Webhooks' `webhook-id`).
    pub external_id: Option<String>,
    /// Which of the sender's forms this came from, so a mapping can be chosen per form.
    pub form_id: Option<String>,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    /// JSON, but not the shape this sender documents; the message says what was expected.
    #[error("{0}")]
    Shape(String),
}
