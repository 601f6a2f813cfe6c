//! Hello Work's job data (求人情報のオンライン提供) as a CSV file: one row per job sheet (求人票),
//! keyed by its public 求人番号. The file comes as UTF-8 (with or without BOM) or Shift_JIS
//! (CP932); columns are found by their header label, so the order and extra columns do not
//! matter. A row that cannot become a posting is returned with its line number and reason,
//! never dropped in silence; a file that cannot be read at all is refused whole.
//!
//! Cells are text: a cell starting with `=` or holding HTML is kept as the characters it has
//! (Yui evaluates no formula, and the templates escape every value).

use crate::mapping::Region;
use crate::values;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use yui_domain::{EmploymentType, FieldError, PostingDraft, PostingInput};

/// The largest file read: a town's full export is a few megabytes.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Why a whole file was refused. Nothing of it is imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is larger than {max_mb} MB")]
    TooLarge { max_mb: usize },
    #[error("the file is neither UTF-8 nor Shift_JIS text")]
    Encoding,
    #[error("the file is empty")]
    Empty,
    #[error("the file is not CSV with a header row: {0}")]
    NotCsv(String),
    #[error("the header row has no 求人番号 column")]
    MissingNumberColumn,
}

impl FileError {
    /// The locales word it as `hellowork.error.<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            FileError::TooLarge { .. } => "too_large",
            FileError::Encoding => "encoding",
            FileError::Empty => "empty",
            FileError::NotCsv(_) => "not_csv",
            FileError::MissingNumberColumn => "missing_number_column",
        }
    }
}

macro_rules! columns {
    ($($variant:ident => $code:literal, [$($label:literal),+];)+) => {
        /// A column of the job sheet that Yui reads.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Column { $($variant),+ }

        impl Column {
            pub const ALL: &'static [Column] = &[$(Column::$variant),+];

            /// The name used in configuration (`[hellowork.labels]`).
            pub fn code(self) -> &'static str {
                match self { $(Column::$variant => $code),+ }
            }

            fn default_labels(self) -> &'static [&'static str] {
                match self { $(Column::$variant => &[$($label),+]),+ }
            }

            pub fn from_code(code: &str) -> Option<Column> {
                match code { $($code => Some(Column::$variant),)+ _ => None }
            }
        }
    };
}

columns! {
    Number => "number", ["求人番号"];
    EmployerName => "employer_name", ["事業所名", "事業所名称"];
    Title => "title", ["職種"];
    Description => "description", ["仕事の内容", "仕事内容"];
    EmploymentType => "employment_type", ["雇用形態"];
    Place => "place", ["就業場所"];
    Wage => "wage", ["賃金"];
    WageMin => "wage_min", ["賃金(下限)", "賃金下限"];
    WageMax => "wage_max", ["賃金(上限)", "賃金上限"];
    WageForm => "wage_form", ["賃金形態"];
    Hours => "hours", ["就業時間"];
    Holidays => "holidays", ["休日", "休日等"];
    Insurance => "insurance", ["加入保険", "加入保険等"];
    TrialPeriod => "trial_period", ["試用期間"];
    Received => "received", ["受付年月日"];
    ValidThrough => "valid_through", ["紹介期限日"];
    Openings => "openings", ["求人数"];
    Age => "age", ["年齢"];
    Education => "education", ["学歴"];
    Experience => "experience", ["必要な経験等", "必要な経験"];
    Licences => "licences", ["必要な免許・資格", "必要な免許資格"];
    EmployerAddress => "employer_address", ["事業所所在地"];
    Phone => "phone", ["電話番号"];
    Employees => "employees", ["従業員数"];
    Business => "business", ["事業内容"];
    CarCommute => "car_commute", ["マイカー通勤"];
    Parking => "parking", ["駐車場", "従業員駐車場"];
    Housing => "housing", ["入居可能住宅", "住宅"];
}

/// Which header label names which column: the job sheet's labels, plus any from configuration.
#[derive(Debug, Clone)]
pub struct Labels {
    by_key: HashMap<String, Column>,
}

impl Default for Labels {
    fn default() -> Self {
        let mut labels = Labels { by_key: HashMap::new() };
        for column in Column::ALL {
            labels.add(*column, column.default_labels());
        }
        labels
    }
}

impl Labels {
    pub fn add<S: AsRef<str>>(&mut self, column: Column, labels: &[S]) {
        for label in labels {
            self.by_key.insert(values::label_key(label.as_ref()), column);
        }
    }

    fn column_for(&self, label: &str) -> Option<Column> {
        self.by_key.get(&values::label_key(label)).copied()
    }
}

/// The office as the job sheet names it. Hello Work gives no email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
}

/// A row that can become a posting.
#[derive(Debug, Clone)]
pub struct Job {
    /// The line of the file where the row starts (the header is line 1).
    pub line: u64,
    /// 求人番号, e.g. `16030-01234567`.
    pub number: String,
    /// Tells an unchanged row from a changed one on the next import.
    pub row_hash: String,
    pub posting: PostingDraft,
    pub office: Office,
    /// 受付年月日.
    pub received: Option<NaiveDate>,
}

/// Why a row cannot become a posting; the locales word it as `hellowork.reason.<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The row has a different number of cells than the header.
    Ragged,
    MissingNumber,
    /// 求人番号 is not five digits, a hyphen and eight digits.
    BadNumber,
    /// The same 求人番号 appears earlier in the file.
    DuplicateNumber,
    /// 紹介期限日 has passed.
    Expired,
    /// The job sheet lacks what a posting needs (the detail names the fields).
    Fields,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::Ragged => "ragged",
            Reason::MissingNumber => "missing_number",
            Reason::BadNumber => "bad_number",
            Reason::DuplicateNumber => "duplicate_number",
            Reason::Expired => "expired",
            Reason::Fields => "fields",
        }
    }
}

/// A row set aside, with what an editor needs to find and fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantined {
    pub line: u64,
    pub number: Option<String>,
    pub reason: &'static str,
    /// The field codes or cell counts behind the reason, for the editor.
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub jobs: Vec<Job>,
    pub quarantined: Vec<Quarantined>,
}

/// The file as text: UTF-8 (a BOM is dropped), else Shift_JIS/CP932. Anything that is neither
/// (UTF-16, a spreadsheet, an image) is refused rather than read as mojibake.
pub fn decode(bytes: &[u8]) -> Result<String, FileError> {
    if bytes.len() > MAX_BYTES {
        return Err(FileError::TooLarge { max_mb: MAX_BYTES / 1024 / 1024 });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileError::Encoding);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => {
            let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
            if had_errors {
                return Err(FileError::Encoding);
            }
            text.into_owned()
        }
    };
    // NUL never appears in text: this is a binary file that happened to decode.
    if text.contains('\0') {
        return Err(FileError::Encoding);
    }
    Ok(text)
}

/// 求人番号: five digits of the office, a hyphen, eight digits (full-width digits accepted).
pub fn parse_number(s: &str) -> Option<String> {
    let s = values::normalize(s);
    let (office, serial) = s.split_once('-')?;
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    (digits(office, 5) && digits(serial, 8)).then_some(s)
}

/// Reads a whole file. `today` decides which rows have passed their 紹介期限日.
pub fn parse(bytes: &[u8], labels: &Labels, region: &Region, today: NaiveDate) -> Result<Sheet, FileError> {
    let text = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| FileError::NotCsv(e.to_string()))?.clone();
    let columns: Vec<Option<Column>> = header.iter().map(|label| labels.column_for(label)).collect();
    if !columns.contains(&Some(Column::Number)) {
        // One cell and nothing known: not a CSV export at all (a text file, a PDF).
        return Err(if columns.iter().all(Option::is_none) && header.len() < 2 {
            FileError::NotCsv(String::new())
        } else {
            FileError::MissingNumberColumn
        });
    }
    let mut sheet = Sheet::default();
    let mut seen = std::collections::HashSet::new();
    // Lines counted here: the reader's own count treats "\r\n" unlike an editor's view of the file.
    let (mut counted_to, mut line) = (0usize, 1u64);
    for record in reader.records() {
        let record = record.map_err(|e| FileError::NotCsv(e.to_string()))?;
        let start = record.position().map_or(counted_to, |p| usize::try_from(p.byte()).unwrap_or(counted_to));
        // After "\r\n" the reader may place a record on its "\n".
        let start = if text.as_bytes().get(start) == Some(&b'\n') { start + 1 } else { start };
        let start = start.clamp(counted_to, text.len());
        line += text.as_bytes()[counted_to..start].iter().filter(|b| **b == b'\n').count() as u64;
        counted_to = start;
        let mut cells: HashMap<Column, String> = HashMap::new();
        for (column, value) in columns.iter().zip(record.iter()) {
            if let Some(column) = column {
                let value = crate::answers::storable_text(value).trim().to_owned();
                if !value.is_empty() {
                    cells.entry(*column).or_insert(value);
                }
            }
        }
        let number = cells.get(&Column::Number).cloned();
        let mut quarantine = |reason: Reason, detail: String| {
            sheet.quarantined.push(Quarantined { line, number: number.clone(), reason: reason.code(), detail });
        };
        if record.len() != header.len() {
            quarantine(Reason::Ragged, format!("{} / {}", record.len(), header.len()));
            continue;
        }
        let Some(typed) = number.as_deref() else {
            quarantine(Reason::MissingNumber, String::new());
            continue;
        };
        let Some(number) = parse_number(typed) else {
            quarantine(Reason::BadNumber, String::new());
            continue;
        };
        if !seen.insert(number.clone()) {
            quarantine(Reason::DuplicateNumber, String::new());
            continue;
        }
        let valid_through = cells.get(&Column::ValidThrough).and_then(|s| values::date(s));
        if valid_through.is_some_and(|day| day < today) {
            quarantine(Reason::Expired, valid_through.map(|d| d.to_string()).unwrap_or_default());
            continue;
        }
        match job(&cells, &number, region, valid_through) {
            Ok((posting, office)) => sheet.jobs.push(Job {
                line,
                row_hash: row_hash(record.iter()),
                received: cells.get(&Column::Received).and_then(|s| values::date(s)),
                number,
                posting,
                office,
            }),
            Err(errors) => {
                let mut fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
                fields.dedup();
                quarantine(Reason::Fields, fields.join(", "));
            }
        }
    }
    Ok(sheet)
}

fn row_hash<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut hasher = Sha256::new();
    for cell in cells {
        hasher.update(cell.trim().as_bytes());
        hasher.update([0x1f]);
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The sections of the job sheet that go under the description, with their headings.
const SECTIONS: &[(Column, &str)] = &[
    (Column::Experience, "必要な経験等"),
    (Column::Licences, "必要な免許・資格"),
    (Column::Age, "年齢"),
    (Column::Education, "学歴"),
    (Column::Openings, "求人数"),
    (Column::Business, "事業内容"),
    (Column::Employees, "従業員数"),
];

/// The conditions the job sheet's columns state: マイカー通勤 「可」, 駐車場 「あり」, 入居可能住宅
/// 「単身用あり」, and 必要な経験等 「不問」. Hello Work's sheet says nothing of the others.
fn conditions(cells: &HashMap<Column, String>) -> Vec<String> {
    use yui_domain::Condition;
    let says =
        |c: Column, yes: &dyn Fn(&str) -> bool| cells.get(&c).map(|s| values::normalize(s)).is_some_and(|s| yes(&s));
    let offered = |s: &str| !s.starts_with('不') && (s.starts_with('可') || values::yes_no(s) == Some(true));
    let housing = |s: &str| values::yes_no(s) != Some(false) && s.contains("あり");
    [
        (Condition::Dorm, says(Column::Housing, &housing)),
        (Condition::Car, says(Column::CarCommute, &offered)),
        (Condition::Parking, says(Column::Parking, &offered)),
        (Condition::NoExperience, says(Column::Experience, &|s: &str| s.starts_with("不問"))),
    ]
    .into_iter()
    .filter(|(_, yes)| *yes)
    .map(|(c, _)| c.code().to_owned())
    .collect()
}

fn job(
    cells: &HashMap<Column, String>,
    number: &str,
    region: &Region,
    valid_through: Option<NaiveDate>,
) -> Result<(PostingDraft, Office), Vec<FieldError>> {
    let text = |c: Column| cells.get(&c).cloned().unwrap_or_default();
    let mut description = text(Column::Description);
    let mut extra = |heading: &str, value: &str| {
        if !value.is_empty() && !description.is_empty() {
            description.push_str(&format!("\n\n■ {heading}\n{value}"));
        }
    };
    let employment_type = match cells.get(&Column::EmploymentType) {
        None => EmploymentType::Other,
        Some(typed) => values::employment_type(typed).unwrap_or_else(|| {
            extra("雇用形態", typed);
            EmploymentType::Other
        }),
    };
    let unit_hint = cells.get(&Column::WageForm).and_then(|s| values::salary_unit(s));
    let salary = match cells.get(&Column::Wage) {
        Some(wage) => values::salary(wage, unit_hint),
        None => {
            let (min, max) = (values::yen(&text(Column::WageMin)), values::yen(&text(Column::WageMax)));
            let yen = |v: Option<i64>| v.and_then(yui_domain::Yen::new);
            let unit = unit_hint.or_else(|| values::salary_unit(&text(Column::WageMin)));
            unit.and_then(|unit| yui_domain::Salary::new(yen(min), yen(max), unit).ok())
        }
    };
    if salary.is_none() {
        let typed = [Column::WageForm, Column::Wage, Column::WageMin, Column::WageMax]
            .into_iter()
            .filter_map(|c| cells.get(&c).cloned())
            .collect::<Vec<_>>()
            .join(" ");
        extra("賃金", &typed);
    }
    for (column, heading) in SECTIONS {
        extra(heading, &text(*column));
    }
    let place = values::place(&text(Column::Place));
    let (prefecture, municipality) = match place.municipality {
        Some(m) => (place.prefecture.unwrap_or_else(|| region.prefecture.clone()), m),
        None => (region.prefecture.clone(), region.municipality.clone()),
    };
    let input = PostingInput {
        title: text(Column::Title),
        description,
        employment_type: employment_type.code().to_owned(),
        prefecture,
        municipality,
        address: place.rest.unwrap_or_default(),
        salary_min: salary.and_then(|s| s.min()).map(|y| y.get()),
        salary_max: salary.and_then(|s| s.max()).map(|y| y.get()),
        salary_unit: salary.map(|s| s.unit().code().to_owned()).unwrap_or_default(),
        hours: text(Column::Hours),
        holidays: text(Column::Holidays),
        insurance: text(Column::Insurance),
        trial_period: text(Column::TrialPeriod),
        requirements: [text(Column::Experience), text(Column::Licences)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        how_to_apply: format!(
            "ハローワークの紹介状が必要です。お近くのハローワークで求人番号 {number} をお伝えください。\nApply through Hello Work with a referral: give the job number {number} at any Hello Work office."
        ),
        valid_through,
        conditions: conditions(cells),
        ..PostingInput::default()
    };
    let mut errors = Vec::new();
    let name = text(Column::EmployerName);
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new("employer_name", yui_domain::Message::new("field.intake.employer_name.required")));
    }
    let posting = PostingDraft::parse(input).map_err(|mut e| errors.append(&mut e)).ok();
    match posting {
        Some(posting) if errors.is_empty() => {
            let optional = |c: Column| cells.get(&c).map(|s| values::normalize(s)).filter(|s| !s.is_empty());
            Ok((posting, Office { name, address: optional(Column::EmployerAddress), phone: optional(Column::Phone) }))
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "求人番号,事業所名,職種,仕事の内容,雇用形態,就業場所,賃金,就業時間,休日,加入保険,試用期間,受付年月日,紹介期限日,必要な経験等,事業所所在地,電話番号";

    fn region() -> Region {
        Region { prefecture: "富山県".into(), municipality: "氷見市".into() }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date")
    }

    fn row(number: &str, description: &str) -> String {
        format!("{number},架空水産株式会社,水産加工スタッフ,\"{description}\",パート労働者,富山県氷見市架空町1-1,時給 1000円～1200円,8:00～17:00,日曜日,雇用 労災,なし,2026/11/20,2027/1/31,不問,富山県氷見市架空町1-1,0766-00-0000")
    }

    fn parse_text(text: &str) -> Result<Sheet, FileError> {
        parse(text.as_bytes(), &Labels::default(), &region(), today())
    }

    #[test]
    fn a_row_becomes_a_posting_with_its_office() {
        let sheet =
            parse_text(&format!("{HEADER}\n{}\n", row("99999-00000001", "魚をさばく仕事です。"))).expect("parsed");
        assert!(sheet.quarantined.is_empty(), "{:?}", sheet.quarantined);
        let job = &sheet.jobs[0];
        assert_eq!(job.number, "99999-00000001");
        assert_eq!(job.line, 2);
        assert_eq!(job.posting.title.as_str(), "水産加工スタッフ");
        assert_eq!(job.posting.employment_type, EmploymentType::PartTime);
        assert_eq!(job.posting.municipality, "氷見市");
        assert_eq!(job.posting.salary.and_then(|s| s.min()).map(|y| y.get()), Some(1000));
        assert!(job.posting.description.as_str().contains("■ 必要な経験等\n不問"));
        assert_eq!(job.posting.valid_through, NaiveDate::from_ymd_opt(2027, 1, 31));
        assert_eq!(job.office.phone.as_deref(), Some("0766-00-0000"));
        assert!(job.posting.how_to_apply.as_str().contains("紹介状"));
    }

    #[test]
    fn the_sheet_s_car_parking_and_housing_columns_become_conditions() {
        let header = format!("{HEADER},マイカー通勤,駐車場,入居可能住宅");
        let text = format!(
            "{header}\n{},可,あり,単身用あり\n{},不可,なし,なし\n",
            row("99999-00000001", "魚をさばく仕事です。"),
            row("99999-00000002", "網を直す仕事です。").replace(",不問,", ",経験者,")
        );
        let sheet = parse_text(&text).expect("parsed");
        assert_eq!(sheet.jobs[0].posting.conditions.codes(), ["dorm", "car", "parking", "beginner"]);
        assert!(sheet.jobs[1].posting.conditions.is_empty(), "{:?}", sheet.jobs[1].posting.conditions);
        // Without those columns only 「不問」 says something.
        let sheet =
            parse_text(&format!("{HEADER}\n{}\n", row("99999-00000003", "魚をさばく仕事です。"))).expect("parsed");
        assert_eq!(sheet.jobs[0].posting.conditions.codes(), ["beginner"]);
    }

    #[test]
    fn shift_jis_and_utf8_with_bom_read_the_same() {
        let text = format!("{HEADER}\r\n{}\r\n99999-00000002,短い\r\n", row("99999-00000001", "魚をさばく仕事です。"));
        let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
        assert!(!unmappable);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let a = parse(&sjis, &Labels::default(), &region(), today()).expect("Shift_JIS");
        let b = parse(&bom, &Labels::default(), &region(), today()).expect("UTF-8 with BOM");
        assert_eq!(a.jobs[0].posting, b.jobs[0].posting);
        assert_eq!(a.jobs[0].row_hash, b.jobs[0].row_hash);
        assert_eq!((a.jobs[0].line, a.quarantined[0].line), (2, 3), "lines as an editor counts them");
    }

    #[test]
    fn ragged_rows_and_bad_numbers_are_quarantined_with_their_line() {
        let text = format!(
            "{HEADER}\n{}\n99999-00000002,短い行\n{}\n{}\n{}\n",
            row("99999-00000001", "一行目"),
            row("9999-1", "番号が違う"),
            row("", "番号がない"),
            row("99999-00000001", "同じ番号")
        );
        let sheet = parse_text(&text).expect("parsed");
        assert_eq!(sheet.jobs.len(), 1);
        let got: Vec<(u64, &str)> = sheet.quarantined.iter().map(|q| (q.line, q.reason)).collect();
        assert_eq!(got, vec![(3, "ragged"), (4, "bad_number"), (5, "missing_number"), (6, "duplicate_number")]);
    }

    #[test]
    fn a_row_without_a_description_names_the_field() {
        let sheet = parse_text(&format!("{HEADER}\n{}\n", row("99999-00000001", ""))).expect("parsed");
        assert_eq!(sheet.quarantined[0].reason, "fields");
        assert!(sheet.quarantined[0].detail.contains("description"));
    }

    #[test]
    fn formula_and_html_cells_stay_text() {
        let text = format!(
            "{HEADER}\n{}\n",
            row("99999-00000001", "=HYPERLINK(\"\"http://example.jp\"\",\"\"x\"\") <script>alert(1)</script>")
        );
        let sheet = parse_text(&text).expect("parsed");
        let description = sheet.jobs[0].posting.description.as_str();
        assert!(description.starts_with("=HYPERLINK(\"http://example.jp\",\"x\")"), "{description}");
        assert!(description.contains("<script>alert(1)</script>"));
    }

    #[test]
    fn files_that_are_not_a_job_export_are_refused_whole() {
        assert_eq!(parse_text("").err(), Some(FileError::Empty));
        assert_eq!(parse_text("これはただの文章です\n二行目\n").err().map(|e| e.code()), Some("not_csv"));
        assert_eq!(parse_text("事業所名,職種\n架空,事務\n").err(), Some(FileError::MissingNumberColumn));
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("求人番号".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(parse(&utf16, &Labels::default(), &region(), today()).err(), Some(FileError::Encoding));
        assert_eq!(
            parse(&[0x82, 0xA0, 0xFF, 0xFD], &Labels::default(), &region(), today()).err(),
            Some(FileError::Encoding)
        );
        let huge = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(
            parse(&huge, &Labels::default(), &region(), today()).err(),
            Some(FileError::TooLarge { max_mb: 20 })
        );
    }

    #[test]
    fn configured_labels_find_renamed_columns() {
        let text = format!("{}\n{}\n", HEADER.replace("求人番号", "求人No"), row("99999-00000001", "仕事"));
        assert_eq!(parse_text(&text).err(), Some(FileError::MissingNumberColumn));
        let mut labels = Labels::default();
        labels.add(Column::Number, &["求人No"]);
        let sheet = parse(text.as_bytes(), &labels, &region(), today()).expect("parsed");
        assert_eq!(sheet.jobs.len(), 1);
    }

    #[test]
    fn passed_referral_deadlines_are_set_aside() {
        let text = format!("{HEADER}\n{}\n", row("99999-00000001", "仕事").replace("2027/1/31", "2026/11/30"));
        assert_eq!(parse_text(&text).expect("parsed").quarantined[0].reason, "expired");
    }

    #[test]
    fn numbers_take_five_and_eight_digits() {
        assert_eq!(parse_number("１６０３０-０１２３４５６７").as_deref(), Some("16030-01234567"));
        assert_eq!(parse_number("16030-0123456"), None);
        assert_eq!(parse_number("=16030-01234567"), None);
    }
}
