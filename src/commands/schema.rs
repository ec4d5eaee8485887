//! `tsudoi schema series|event|json COMMAND`: a JSON Schema on stdout.

use crate::cli::{SchemaArgs, SchemaOf};
use crate::error::Error;
use crate::schema;

pub fn run(args: &SchemaArgs) -> Result<(), Error> {
    let document = match &args.of {
        SchemaOf::Series => schema::series(),
        SchemaOf::Event => schema::event(),
        SchemaOf::Json { command } => {
            schema::output_schema(command).expect("clap admits only the commands with a schema")
        }
    };
    println!("{}", pretty(&document));
    Ok(())
}

pub fn pretty(document: &serde_json::Value) -> String {
    serde_json::to_string_pretty(document).expect("schemas serialize")
}
