//! desk-core's integration tests, one binary (one link) for all families; one module per family.

mod calendar_arithmetic;
mod calendar_holidays;
mod calendar_ics;
mod common;
mod fallback;
mod fuzz_parsers;
mod intake_mail;
mod outbox_decide;
mod outbox_delivery;
mod portal_client;
mod portal_feed;
mod portal_keyring;
mod reminders;
mod rules_fidelity;
mod report_exchange;
mod report_lifecycle;
mod report_store;
mod sen_deadlines;
mod sen_levels;
mod sen_responses;
mod sen_store;
mod store_protect;
