//! Yui's questions, once: the list a form tool should ask, with the choices its answers are read
//! from, and a Google Apps Script that creates a Google Form asking exactly them and forwards each
//! response to Yui (`yui forms google-script`). `docs/forms.md` lists the same questions for
//! Tally and Typeform; a test keeps the two in step.

use crate::mapping::Field;
use yui_domain::{ContractKind, EmploymentType, RemoteMode, Renewal, SalaryUnit};

/// How a question is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// One line of text.
    Short,
    /// Several lines.
    Paragraph,
    /// A whole number (yen, hours).
    Number,
    Email,
    Url,
    Date,
    /// One of a few options, shown at once (radio buttons).
    Choice(Vec<String>),
    /// One of many options (a drop-down).
    List(Vec<String>),
    /// Any of a few options (checkboxes).
    Checkboxes(Vec<String>),
}

/// One question of Yui's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub field: Field,
    pub kind: Kind,
    /// Yui cannot make a posting without it.
    pub required: bool,
    /// What the person filling it in reads under the question.
    pub help: &'static str,
}

impl Question {
    /// The question as asked: the field's Japanese default label, which Yui reads back.
    pub fn title(&self) -> &'static str {
        self.field.label_ja()
    }
}

/// The help line of every working condition the law asks a job ad to state.
const LEGAL: &str = "人を雇う求人（正社員・契約社員・パートなど）では必ず書いてください（職業安定法による明示事項）。";

/// Yui's questions in the order of its own form, with the configured job categories and
/// districts (their Japanese labels) as the choices of 職種 and 地区.
pub fn questions(categories: &[String], areas: &[String]) -> Vec<Question> {
    let labels = |all: &[&str]| all.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let yes_no = || Kind::Choice(labels(&["あり", "なし"]));
    let q = |field, kind, required, help| Question { field, kind, required, help };
    vec![
        q(Field::Title, Kind::Short, true, "例：定置網漁の乗組員（未経験歓迎）"),
        q(
            Field::EmploymentType,
            Kind::Choice(EmploymentType::ALL.iter().map(|t| t.label_ja().to_owned()).collect()),
            true,
            "",
        ),
        q(Field::Description, Kind::Paragraph, true, "どんな仕事か、一日の流れ、職場の様子など。"),
        q(Field::Category, Kind::List(categories.to_vec()), false, ""),
        q(Field::Location, Kind::Short, false, "就業場所の住所。例：富山県氷見市比美町1-2"),
        q(Field::Area, Kind::List(areas.to_vec()), false, ""),
        q(Field::Remote, Kind::Choice(RemoteMode::ALL.iter().map(|r| r.label_ja().to_owned()).collect()), false, ""),
        q(
            Field::SalaryUnit,
            Kind::Choice(SalaryUnit::ALL.iter().map(|u| u.label_ja().to_owned()).collect()),
            false,
            "ボランティアでは空欄のまま。",
        ),
        q(Field::SalaryMin, Kind::Number, false, "円。例：1050"),
        q(Field::SalaryMax, Kind::Number, false, "円。上限がなければ空欄。"),
        q(Field::DutiesScope, Kind::Short, false, LEGAL),
        q(Field::WorkplaceScope, Kind::Short, false, LEGAL),
        q(
            Field::Contract,
            Kind::Choice(ContractKind::ALL.iter().map(|c| c.label_ja().to_owned()).collect()),
            false,
            LEGAL,
        ),
        q(Field::ContractLength, Kind::Short, false, "期間の定めがある場合。例：1年"),
        q(
            Field::Renewal,
            Kind::Choice(Renewal::ALL.iter().map(|r| r.label_ja().to_owned()).collect()),
            false,
            "期間の定めがある場合。",
        ),
        q(Field::RenewalLimit, Kind::Short, false, "更新する場合。例：通算5年まで／なし"),
        q(Field::Trial, yes_no(), false, LEGAL),
        q(Field::TrialPeriod, Kind::Short, false, "試用期間がある場合。例：3か月"),
        q(Field::TrialConditions, Kind::Short, false, "例：本採用と同じ"),
        q(Field::Hours, Kind::Short, false, LEGAL),
        q(Field::Breaks, Kind::Short, false, LEGAL),
        q(Field::Overtime, yes_no(), false, LEGAL),
        q(Field::OvertimeHours, Kind::Number, false, "時間外労働がある場合、月平均の時間。"),
        q(Field::Holidays, Kind::Short, false, LEGAL),
        q(Field::FixedOvertime, yes_no(), false, "給与に固定残業代（みなし残業代）を含むか。"),
        q(Field::FixedOvertimePay, Kind::Number, false, "含む場合、月額（円）。"),
        q(Field::FixedOvertimeHours, Kind::Number, false, "含む場合、その時間（月）。"),
        q(Field::Insurance, Kind::Short, false, LEGAL),
        q(Field::Smoking, Kind::Short, false, LEGAL),
        q(Field::Requirements, Kind::Paragraph, false, ""),
        q(
            Field::Conditions,
            Kind::Checkboxes(yui_domain::Condition::ALL.iter().map(|c| c.label_ja().to_owned()).collect()),
            false,
            "当てはまるものをすべて選んでください。求人検索で絞り込みに使われます。",
        ),
        q(Field::HowToApply, Kind::Paragraph, true, "電話、メール、見学の受付など。"),
        q(Field::ValidThrough, Kind::Date, false, "空欄なら掲載から既定の日数。"),
        q(Field::EmployerName, Kind::Short, true, ""),
        q(Field::ContactName, Kind::Short, false, ""),
        q(Field::Email, Kind::Email, true, "掲載を管理する専用リンクをお送りします（公開されません）。"),
        q(Field::Phone, Kind::Short, false, ""),
        q(Field::Website, Kind::Url, false, ""),
    ]
}

/// A JavaScript string literal.
fn js(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

/// The Apps Script that creates the Google Form and forwards its responses to `site_url`. The
/// shared secret is left as a placeholder the operator replaces.
pub fn google_apps_script(questions: &[Question], site_url: &str) -> String {
    let mut items = String::new();
    for q in questions {
        let (call, extra) = match &q.kind {
            Kind::Short => ("addTextItem", String::new()),
            Kind::Paragraph => ("addParagraphTextItem", String::new()),
            Kind::Number => (
                "addTextItem",
                ".setValidation(FormApp.createTextValidation().requireNumber().setHelpText('数字で入力してください').build())"
                    .to_owned(),
            ),
            Kind::Email => (
                "addTextItem",
                ".setValidation(FormApp.createTextValidation().requireTextIsEmail().build())".to_owned(),
            ),
            Kind::Url => {
                ("addTextItem", ".setValidation(FormApp.createTextValidation().requireTextIsUrl().build())".to_owned())
            }
            Kind::Date => ("addDateItem", String::new()),
            Kind::Choice(options) => ("addMultipleChoiceItem", format!(".setChoiceValues({})", js_list(options))),
            Kind::List(options) => ("addListItem", format!(".setChoiceValues({})", js_list(options))),
            Kind::Checkboxes(options) => ("addCheckboxItem", format!(".setChoiceValues({})", js_list(options))),
        };
        items.push_str(&format!(
            "  form.{call}().setTitle({}).setHelpText({}).setRequired({}){extra};\n",
            js(q.title()),
            js(q.help),
            q.required
        ));
    }
    GOOGLE_SCRIPT.replace("__SITE_URL__", &js(site_url.trim_end_matches('/'))).replace("__ITEMS__", &items)
}

fn js_list(options: &[String]) -> String {
    format!("[{}]", options.iter().map(|o| js(o)).collect::<Vec<_>>().join(", "))
}

const GOOGLE_SCRIPT: &str = r#"/**
 * Yui: creates a Google Form with Yui's questions and forwards each response to Yui.
 * Printed by `yui forms google-script`; see docs/forms.md.
 *
 * 1. script.google.com → New project → paste this file as Code.gs.
 * 2. Replace PASTE-THE-SECRET below with ingest.sources.google_forms.secret.
 * 3. Select createYuiForm and press Run once (allow the permissions it asks for).
 *    The form's edit and public links are printed in the execution log.
 */

var YUI_URL = __SITE_URL__;
var YUI_SECRET = 'PASTE-THE-SECRET';
var MAX_ATTEMPTS = 3;

function createYuiForm() {
  var form = FormApp.create('求人情報の登録');
  form.setDescription('ご記入いただいた内容は、運営メンバーが確認してから掲載します。');
__ITEMS__  PropertiesService.getScriptProperties().setProperty('YUI_FORM_ID', form.getId());
  ScriptApp.newTrigger('onFormSubmit').forForm(form).onFormSubmit().create();
  console.log('Edit: ' + form.getEditUrl());
  console.log('Share: ' + form.getPublishedUrl());
}

/** The form-submit trigger: e.source is the Form, e.response the FormResponse. */
function onFormSubmit(e) {
  if (YUI_SECRET === 'PASTE-THE-SECRET') {
    console.error('Yui: put the Google Forms secret into YUI_SECRET at the top of this script.');
    return;
  }
  var payload = {
    responseId: e.response.getId(),
    formId: e.source.getId(),
    timestamp: e.response.getTimestamp().toISOString(),
    items: e.response.getItemResponses().map(function (itemResponse) {
      return { title: itemResponse.getItem().getTitle(), response: itemResponse.getResponse() };
    })
  };
  var options = {
    method: 'post',
    contentType: 'application/json',
    headers: { 'X-Yui-Secret': YUI_SECRET },
    payload: JSON.stringify(payload),
    muteHttpExceptions: true
  };
  var url = YUI_URL + '/hooks/google-forms';
  // Apps Script never retries a failed trigger: retry on 5xx and network errors. The same
  // responseId twice is safe; Yui answers 200 and creates nothing new.
  for (var attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    var code = 0;
    var text = '';
    try {
      var result = UrlFetchApp.fetch(url, options);
      code = result.getResponseCode();
      text = result.getContentText();
    } catch (err) {
      text = String(err);
    }
    if (code === 200 || code === 201 || code === 202) {
      if (code === 202) {
        console.warn('Yui kept response ' + payload.responseId + ' for an editor: ' + text);
      }
      return;
    }
    console.error('Yui answered ' + (code || 'nothing') + ' on attempt ' + attempt + ': ' + text);
    if (code >= 400 && code < 500) {
      return;
    }
    if (attempt < MAX_ATTEMPTS) {
      Utilities.sleep(2000 * attempt * attempt);
    }
  }
}
"#;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::mapping::{map_answers, Mapping, Region};
    use crate::{Answer, FormAnswers};

    fn kit() -> Vec<Question> {
        questions(&["飲食・宿泊".into(), "水産・漁業".into()], &["比美町".into(), "窪".into()])
    }

    /// What a person would answer, as Google Forms sends it: a choice's first option.
    fn sample(q: &Question) -> String {
        match (&q.kind, q.field) {
            (Kind::Choice(o) | Kind::List(o), Field::EmploymentType) => o[2].clone(), // パート・アルバイト
            (Kind::Choice(o), Field::SalaryUnit) => o[0].clone(),                     // 時給
            (Kind::Choice(o), Field::Contract) => o[1].clone(),                       // 期間の定めあり
            (Kind::Choice(o), Field::Trial | Field::Overtime | Field::FixedOvertime) => o[1].clone(), // なし
            (Kind::Choice(o) | Kind::List(o), _) => o[0].clone(),
            (Kind::Checkboxes(o), _) => format!("{}、{}", o[0], o[2]),
            (Kind::Number, Field::OvertimeHours | Field::FixedOvertimeHours) => "10".into(),
            (Kind::Number, _) => "1050".into(),
            (Kind::Email, _) => "hama@example.jp".into(),
            (Kind::Url, _) => "https://hama.example/".into(),
            (Kind::Date, _) => "2099-03-31".into(),
            (_, Field::Location) => "富山県氷見市比美町1-2".into(),
            (_, Field::SalaryMax) => String::new(),
            _ => format!("{}の回答", q.title()),
        }
    }

    #[test]
    fn a_form_made_from_the_questions_gives_a_posting_with_nothing_missing() {
        let answers = FormAnswers {
            external_id: Some("r1".into()),
            form_id: None,
            answers: kit().iter().map(|q| Answer { label: q.title().into(), value: sample(q) }).collect(),
        };
        let region = Region::parse("富山県氷見市").unwrap();
        let p = map_answers(&answers, &Mapping::default(), &region).unwrap().posting;
        assert_eq!(p.gaps(), [], "{p:?}");
        assert_eq!(p.employment_type, EmploymentType::PartTime);
        assert_eq!(p.terms.contract, Some(ContractKind::Fixed));
        assert_eq!(p.category.as_deref(), Some("飲食・宿泊"), "settled to its code by the portal later");
        assert_eq!(p.conditions.codes(), ["dorm", "car"]);
        assert!(!p.description.as_str().contains('■'), "every answer landed in a field: {}", p.description.as_str());
    }

    #[test]
    fn every_choice_reads_back_as_its_value() {
        for q in kit() {
            let Kind::Choice(options) = &q.kind else { continue };
            for o in options {
                let read = match q.field {
                    Field::EmploymentType => crate::values::employment_type(o).map(|t| t.label_ja().to_owned()),
                    Field::Remote => crate::values::remote_mode(o).map(|r| r.label_ja().to_owned()),
                    Field::SalaryUnit => crate::values::salary_unit(o).map(|u| u.label_ja().to_owned()),
                    Field::Contract => crate::values::contract_kind(o).map(|c| c.label_ja().to_owned()),
                    Field::Renewal => crate::values::renewal(o).map(|r| r.label_ja().to_owned()),
                    _ => crate::values::yes_no(o).map(|b| if b { "あり" } else { "なし" }.to_owned()),
                };
                assert_eq!(read.as_deref(), Some(o.as_str()), "{:?}: {o}", q.field);
            }
        }
    }

    #[test]
    fn the_script_asks_every_question_with_the_site_and_a_secret_placeholder() {
        let script = google_apps_script(&kit(), "https://jobs.example.jp/");
        for q in kit() {
            assert!(script.contains(&format!(".setTitle({})", js(q.title()))), "{}", q.title());
        }
        assert_eq!(script.matches(".setTitle(").count(), kit().len());
        assert!(script.contains("var YUI_URL = \"https://jobs.example.jp\";"));
        assert!(script.contains("'PASTE-THE-SECRET'"));
        assert!(script.contains("addListItem().setTitle(\"地区\")"));
        assert!(!script.contains("__"), "every placeholder filled");
    }

    #[test]
    fn the_docs_list_every_question_for_tally_and_typeform() {
        let docs = include_str!("../../../docs/forms.md");
        let start = docs.find("## Yui's questions").expect("docs/forms.md has the question list");
        let list = &docs[start..];
        for q in kit() {
            assert!(list.contains(&format!("| {} |", q.title())), "docs/forms.md lists {}", q.title());
        }
    }
}
