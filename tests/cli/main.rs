//! Integration tests: the real `missive` binary run on the bundled standard and on broken copies.

mod harness;

mod answer;

mod bad_input;
mod batch;
mod broken_standard;
mod ci_formats;
mod contract_props;
mod conventions;
mod desk;
mod diagnosis;
mod dkim;
mod email;
mod email_date;
mod email_layout;
mod email_logo;
mod embed;
mod faults;
mod fields;
mod handbook;
mod pdf;
mod pdf_brand;
mod relay;
mod render;
mod review;
mod rule_kinds;
mod rules;
mod schema;
mod serve;
mod smtp;
mod snapshot_tests;
mod spreadsheet;
