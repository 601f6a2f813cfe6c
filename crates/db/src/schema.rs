// Kept by hand with portable types only (Text, Integer, BigInt, Bool, Timestamp, Binary), so the
// one schema serves SQLite and PostgreSQL. Change it together with both migrations directories.

diesel::table! {
    organizations (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        kind -> Text,
        created_at -> Timestamp,
        name_en -> Nullable<Text>,
        description -> Nullable<Text>,
        contact -> Nullable<Text>,
    }
}

diesel::table! {
    staff_users (id) {
        id -> Integer,
        organization_id -> Integer,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    employers (id) {
        id -> Integer,
        name -> Text,
        contact_name -> Nullable<Text>,
        email -> Text,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        website -> Nullable<Text>,
        industry -> Nullable<Text>,
        organization_id -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    submissions (id) {
        id -> Integer,
        source -> Text,
        external_id -> Text,
        received_at -> Timestamp,
        headers -> Text,
        raw_body -> Binary,
        signature_ok -> Bool,
        status -> Text,
        error -> Nullable<Text>,
        discarded_at -> Nullable<Timestamp>,
        discarded_by -> Nullable<Integer>,
        discard_reason -> Nullable<Text>,
    }
}

diesel::table! {
    postings (id) {
        id -> Integer,
        public_id -> Text,
        employer_id -> Integer,
        submission_id -> Nullable<Integer>,
        title -> Text,
        description -> Text,
        employment_type -> Text,
        category -> Nullable<Text>,
        prefecture -> Text,
        municipality -> Text,
        area -> Nullable<Text>,
        address -> Nullable<Text>,
        remote -> Text,
        salary_min -> Nullable<BigInt>,
        salary_max -> Nullable<BigInt>,
        salary_unit -> Nullable<Text>,
        hours -> Nullable<Text>,
        holidays -> Nullable<Text>,
        insurance -> Nullable<Text>,
        trial_period -> Nullable<Text>,
        smoking -> Nullable<Text>,
        requirements -> Nullable<Text>,
        how_to_apply -> Text,
        valid_through -> Timestamp,
        status -> Text,
        published_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        manage_token_hash -> Nullable<Text>,
        reminder_sent_at -> Nullable<Timestamp>,
        hired_via_yui -> Nullable<Bool>,
    }
}

diesel::table! {
    posting_terms (posting_id) {
        posting_id -> Integer,
        duties_scope -> Nullable<Text>,
        workplace_scope -> Nullable<Text>,
        contract -> Nullable<Text>,
        contract_length -> Nullable<Text>,
        renewal -> Nullable<Text>,
        renewal_limit -> Nullable<Text>,
        trial -> Nullable<Text>,
        trial_conditions -> Nullable<Text>,
        breaks -> Nullable<Text>,
        overtime -> Nullable<Text>,
        overtime_hours -> Nullable<Integer>,
        fixed_overtime -> Nullable<Text>,
        fixed_overtime_pay -> Nullable<BigInt>,
        fixed_overtime_hours -> Nullable<Integer>,
    }
}

diesel::table! {
    staff_sessions (token_hash) {
        token_hash -> Text,
        staff_id -> Integer,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    review_events (id) {
        id -> Integer,
        posting_id -> Integer,
        actor_id -> Nullable<Integer>,
        organization_id -> Nullable<Integer>,
        action -> Text,
        from_status -> Text,
        to_status -> Text,
        reason_code -> Nullable<Text>,
        reason_text -> Nullable<Text>,
        diff -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// An employer's proposed correction of a published posting, awaiting an editor.
    posting_revisions (posting_id) {
        posting_id -> Integer,
        fields -> Text,
        base_version -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Every email, written in the sender's transaction and sent by the outbox worker.
    outbox_emails (id) {
        id -> Integer,
        recipients -> Text,
        reply_to -> Nullable<Text>,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        /// Extra headers as a JSON object (List-Unsubscribe …), or NULL.
        headers -> Nullable<Text>,
    }
}

diesel::table! {
    /// A relayed first contact with a posting's employer: counted, never the message.
    inquiries (id) {
        id -> Integer,
        posting_id -> Integer,
        sender_email_hash -> Text,
        outbox_email_id -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// diesel_migrations' own bookkeeping, read by the health check.
    __diesel_schema_migrations (version) {
        version -> Text,
        run_on -> Timestamp,
    }
}

diesel::table! {
    articles (id) {
        id -> Integer,
        kind -> Text,
        slug -> Text,
        title -> Text,
        lede -> Text,
        body_markdown -> Text,
        hero_image -> Nullable<Text>,
        hero_alt -> Nullable<Text>,
        sponsor_employer_id -> Nullable<Integer>,
        author_id -> Integer,
        writer_credit -> Nullable<Text>,
        photographer_credit -> Nullable<Text>,
        editor_credit -> Nullable<Text>,
        status -> Text,
        approved_by -> Nullable<Integer>,
        publish_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        hero_caption -> Nullable<Text>,
        interviewees -> Nullable<Text>,
    }
}

diesel::table! {
    article_postings (article_id, posting_id) {
        article_id -> Integer,
        posting_id -> Integer,
    }
}

diesel::table! {
    article_orders (id) {
        id -> Integer,
        employer_id -> Integer,
        article_id -> Nullable<Integer>,
        plan -> Text,
        price_yen -> BigInt,
        tax_yen -> BigInt,
        status -> Text,
        quoted_on -> Date,
        ordered_on -> Nullable<Date>,
        invoiced_on -> Nullable<Date>,
        paid_on -> Nullable<Date>,
        cancelled_on -> Nullable<Date>,
        notes -> Text,
        created_by -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    succession_listings (id) {
        id -> Integer,
        public_id -> Text,
        public_name -> Text,
        industry -> Text,
        area -> Text,
        years_in_business -> Nullable<Integer>,
        staff_count -> Nullable<Integer>,
        revenue_band -> Text,
        handover -> Text,
        handover_note -> Text,
        reason -> Text,
        successor_wish -> Text,
        terms -> Text,
        price_text -> Text,
        description -> Text,
        status -> Text,
        article_id -> Nullable<Integer>,
        coordinator_organization_id -> Integer,
        owner_name -> Text,
        owner_email -> Text,
        owner_phone -> Nullable<Text>,
        manage_token_hash -> Nullable<Text>,
        created_by -> Integer,
        matched_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    succession_inquiries (id) {
        id -> Integer,
        listing_id -> Integer,
        name -> Text,
        email -> Text,
        phone -> Nullable<Text>,
        about -> Text,
        consent_at -> Timestamp,
        status -> Text,
        coordinator_note -> Text,
        outbox_email_id -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    editorial_events (id) {
        id -> Integer,
        subject -> Text,
        subject_id -> Integer,
        actor_id -> Nullable<Integer>,
        organization_id -> Nullable<Integer>,
        action -> Text,
        from_status -> Text,
        to_status -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> Integer,
        direction -> Text,
        category -> Text,
        description -> Text,
        amount_yen -> BigInt,
        occurred_on -> Date,
        source -> Text,
        created_by -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    supporters (id) {
        id -> Integer,
        email -> Text,
        display_name -> Nullable<Text>,
        kind -> Text,
        support_types -> Text,
        message -> Text,
        on_wall -> Bool,
        hidden_at -> Nullable<Timestamp>,
        token_hash -> Text,
        confirm_expires_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Where a posting came from when not from an employer: Hello Work's 求人番号.
    posting_origins (posting_id) {
        posting_id -> Integer,
        source -> Text,
        external_id -> Text,
        taken_on -> Date,
        row_hash -> Text,
    }
}

diesel::table! {
    /// One Hello Work import and its report.
    hellowork_imports (id) {
        id -> Integer,
        file_name -> Text,
        full_export -> Bool,
        created -> Integer,
        updated -> Integer,
        unchanged -> Integer,
        ended -> Integer,
        quarantined -> Integer,
        quarantine -> Text,
        staff_id -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// 編集部のひとこと on a posting (Markdown, sanitised when shown).
    posting_notes (posting_id) {
        posting_id -> Integer,
        body -> Text,
        updated_at -> Timestamp,
        updated_by -> Nullable<Integer>,
    }
}

diesel::joinable!(staff_users -> organizations (organization_id));
diesel::joinable!(employers -> organizations (organization_id));
diesel::joinable!(postings -> employers (employer_id));
diesel::joinable!(postings -> submissions (submission_id));
diesel::joinable!(review_events -> postings (posting_id));
diesel::joinable!(posting_terms -> postings (posting_id));
diesel::joinable!(posting_revisions -> postings (posting_id));
diesel::joinable!(review_events -> organizations (organization_id));
diesel::joinable!(staff_sessions -> staff_users (staff_id));
diesel::joinable!(inquiries -> postings (posting_id));
diesel::joinable!(articles -> employers (sponsor_employer_id));
diesel::joinable!(article_postings -> articles (article_id));
diesel::joinable!(article_postings -> postings (posting_id));
diesel::joinable!(article_orders -> employers (employer_id));
diesel::joinable!(ledger_entries -> staff_users (created_by));
diesel::joinable!(succession_listings -> organizations (coordinator_organization_id));
diesel::joinable!(succession_inquiries -> succession_listings (listing_id));
diesel::joinable!(posting_origins -> postings (posting_id));
diesel::joinable!(posting_notes -> postings (posting_id));

diesel::allow_tables_to_appear_in_same_query!(
    posting_terms,
    organizations,
    staff_users,
    employers,
    submissions,
    postings,
    review_events,
    posting_revisions,
    staff_sessions,
    outbox_emails,
    inquiries,
    articles,
    article_postings,
    article_orders,
    succession_listings,
    succession_inquiries,
    editorial_events,
    ledger_entries,
    supporters,
    employer_mail_holders,
    posting_origins,
    hellowork_imports,
    posting_notes
);

diesel::table! {
    /// An address following the site (double opt-in): no account, signed links only.
    followers (id) {
        id -> Integer,
        email -> Text,
        lang -> Text,
        wants_digest -> Bool,
        confirmed_at -> Nullable<Timestamp>,
        confirm_token_hash -> Nullable<Text>,
        confirm_sent_at -> Nullable<Timestamp>,
        link_salt -> Text,
        digest_period -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// A saved search with its job alert (daily or weekly) and private feeds.
    follow_searches (id) {
        id -> Integer,
        follower_id -> Integer,
        query -> Text,
        frequency -> Text,
        alert_after -> Timestamp,
        alert_period -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// The postings each saved search's alerts already carried.
    follow_alert_items (id) {
        id -> Integer,
        search_id -> Integer,
        posting_id -> Integer,
        outbox_email_id -> Integer,
        sent_at -> Timestamp,
    }
}

diesel::joinable!(follow_searches -> followers (follower_id));
diesel::joinable!(follow_alert_items -> follow_searches (search_id));
diesel::allow_tables_to_appear_in_same_query!(followers, follow_searches, follow_alert_items);

diesel::table! {
    /// Employers without an email of their own: their mail goes to this staff member.
    employer_mail_holders (employer_id) {
        employer_id -> Integer,
        staff_id -> Integer,
        created_at -> Timestamp,
    }
}

diesel::joinable!(employer_mail_holders -> employers (employer_id));
diesel::joinable!(employer_mail_holders -> staff_users (staff_id));

diesel::table! {
    /// A question label an editor mapped to a field, per source and form ('' = every form).
    ingest_mappings (id) {
        id -> Integer,
        source -> Text,
        form_id -> Text,
        label -> Text,
        label_key -> Text,
        field -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(ingest_mappings -> staff_users (created_by));
diesel::allow_tables_to_appear_in_same_query!(ingest_mappings, staff_users);

diesel::table! {
    /// A rate limit's counter for one key, shared by every instance.
    rate_limits (bucket, key_hash) {
        bucket -> Text,
        key_hash -> Text,
        window_start -> Timestamp,
        expires_at -> Timestamp,
        count -> Integer,
    }
}

diesel::table! {
    /// An uploaded image, stored once per content (`hash` is the SHA-256 of `bytes`).
    media (hash) {
        hash -> Text,
        content_type -> Text,
        bytes -> Binary,
        size_bytes -> Integer,
        width -> Integer,
        height -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// A name an image had on disk before it moved into the database.
    media_aliases (name) {
        name -> Text,
        hash -> Text,
    }
}

diesel::joinable!(media_aliases -> media (hash));
diesel::allow_tables_to_appear_in_same_query!(media, media_aliases);

diesel::table! {
    /// A staff member's password reset link: its token's SHA-256, good once and for an hour.
    staff_password_resets (token_hash) {
        token_hash -> Text,
        staff_id -> Integer,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(staff_password_resets -> staff_users (staff_id));
diesel::allow_tables_to_appear_in_same_query!(staff_password_resets, staff_users);

diesel::table! {
    /// An employer's public face: the approved version and the one waiting for an editor (JSON).
    employer_profiles (employer_id) {
        employer_id -> Integer,
        slug -> Text,
        published -> Nullable<Text>,
        pending -> Nullable<Text>,
        pending_since -> Nullable<Timestamp>,
        rejected_reason -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(employer_profiles -> employers (employer_id));
diesel::allow_tables_to_appear_in_same_query!(employer_profiles, employers);

diesel::table! {
    /// A condition a posting offers (yui_domain::Condition codes), one row each.
    posting_conditions (posting_id, code) {
        posting_id -> Integer,
        code -> Text,
    }
}

diesel::joinable!(posting_conditions -> postings (posting_id));
diesel::allow_tables_to_appear_in_same_query!(posting_conditions, postings);
diesel::allow_tables_to_appear_in_same_query!(posting_conditions, employers);

diesel::table! {
    /// A side job's or project's structured terms (yui_domain::project); no row: none stated.
    posting_projects (posting_id) {
        posting_id -> Integer,
        hours_per_month -> Nullable<Integer>,
        duration_months -> Nullable<Integer>,
        visits -> Nullable<Text>,
        remote_share -> Nullable<Integer>,
        travel_support -> Nullable<Text>,
        reward -> Nullable<Text>,
        coordinator -> Nullable<Text>,
    }
}

diesel::joinable!(posting_projects -> postings (posting_id));
diesel::allow_tables_to_appear_in_same_query!(posting_projects, postings);
diesel::allow_tables_to_appear_in_same_query!(posting_projects, employers);

diesel::table! {
    /// Every change to a posting or what is searched with it, written by triggers: the search
    /// read model follows it (see migrations/*/2026-12-06-000013_posting_changes).
    posting_changes (seq) {
        seq -> BigInt,
        posting_id -> Integer,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    /// A joint campaign: a theme and a period, issued by several organisations (issue 20).
    campaigns (id) {
        id -> Integer,
        slug -> Text,
        title -> Text,
        story_markdown -> Text,
        starts_on -> Timestamp,
        ends_on -> Timestamp,
        status -> Text,
        author_id -> Integer,
        published_by -> Nullable<Integer>,
        published_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    /// A campaign's co-issuing organisations, in the order the page names them.
    campaign_organizations (campaign_id, organization_id) {
        campaign_id -> Integer,
        organization_id -> Integer,
        position -> Integer,
        logo -> Nullable<Text>,
    }
}

diesel::table! {
    /// The published postings a campaign gathers, in order.
    campaign_postings (campaign_id, posting_id) {
        campaign_id -> Integer,
        posting_id -> Integer,
        position -> Integer,
    }
}

diesel::table! {
    /// A person's entry in a campaign: personal data, seen by the co-issuing organisations only.
    campaign_entries (id) {
        id -> Integer,
        campaign_id -> Integer,
        name -> Text,
        email -> Text,
        offer -> Text,
        interests -> Text,
        way -> Text,
        status -> Text,
        notes -> Text,
        withdraw_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        matched_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    campaign_entry_records (id) {
        id -> Integer,
        campaign_id -> Integer,
        entered_at -> Timestamp,
        matched_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(campaign_organizations -> campaigns (campaign_id));
diesel::joinable!(campaign_organizations -> organizations (organization_id));
diesel::joinable!(campaign_postings -> campaigns (campaign_id));
diesel::joinable!(campaign_postings -> postings (posting_id));
diesel::joinable!(campaign_entries -> campaigns (campaign_id));
diesel::joinable!(campaign_entry_records -> campaigns (campaign_id));
diesel::allow_tables_to_appear_in_same_query!(
    campaigns,
    campaign_organizations,
    campaign_postings,
    campaign_entries,
    campaign_entry_records
);
diesel::allow_tables_to_appear_in_same_query!(campaigns, staff_users);
diesel::allow_tables_to_appear_in_same_query!(campaign_organizations, organizations);
diesel::allow_tables_to_appear_in_same_query!(campaign_postings, postings);
diesel::allow_tables_to_appear_in_same_query!(campaign_postings, employers);

diesel::table! {
    /// Views per day (Asia/Tokyo) of a posting, an article, an employer's page, or clicks from
    /// a feature to its postings: counts only, never who.
    daily_views (kind, subject_id, day) {
        kind -> Text,
        subject_id -> Integer,
        day -> Date,
        views -> BigInt,
    }
}

diesel::table! {
    /// A paid feature's report for its sponsor, made once with the mail that links it.
    sponsor_reports (article_id) {
        article_id -> Integer,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Staff members who asked for the weekly note to operators.
    staff_weekly_note (staff_id) {
        staff_id -> Integer,
    }
}

diesel::table! {
    /// Each week's note to operators, claimed once.
    weekly_notes (week) {
        week -> Date,
        created_at -> Timestamp,
        recipients -> Integer,
    }
}

diesel::joinable!(sponsor_reports -> articles (article_id));
diesel::allow_tables_to_appear_in_same_query!(sponsor_reports, articles);
diesel::allow_tables_to_appear_in_same_query!(sponsor_reports, article_orders);
diesel::allow_tables_to_appear_in_same_query!(sponsor_reports, employers);
diesel::joinable!(staff_weekly_note -> staff_users (staff_id));
diesel::allow_tables_to_appear_in_same_query!(staff_weekly_note, staff_users);

diesel::table! {
    /// An owner's private request for a succession listing; only its coordinators read it.
    succession_requests (id) {
        id -> Integer,
        organization_id -> Nullable<Integer>,
        business_name -> Text,
        industry -> Text,
        area -> Text,
        years_in_business -> Nullable<Integer>,
        staff_band -> Text,
        reason -> Text,
        handover -> Text,
        contact_name -> Text,
        contact_email -> Text,
        contact_phone -> Nullable<Text>,
        status -> Text,
        notes -> Text,
        withdraw_hash -> Text,
        closed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(succession_requests -> organizations (organization_id));
diesel::allow_tables_to_appear_in_same_query!(succession_requests, organizations);

diesel::table! {
    /// A would-be successor's entry in the takeover pool; only coordinators read it.
    succession_pool_entries (id) {
        id -> Integer,
        organization_id -> Nullable<Integer>,
        name -> Text,
        email -> Text,
        phone -> Nullable<Text>,
        industries -> Text,
        areas -> Text,
        anywhere -> Bool,
        funds_band -> Text,
        start_band -> Text,
        experience -> Text,
        lang -> Text,
        status -> Text,
        notes -> Text,
        confirm_hash -> Nullable<Text>,
        withdraw_hash -> Text,
        renew_hash -> Nullable<Text>,
        confirmed_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        reminded_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(succession_pool_entries -> organizations (organization_id));
diesel::allow_tables_to_appear_in_same_query!(succession_pool_entries, organizations);
