use std::process::ExitCode;

fn main() -> ExitCode {
    tsudoi::run(std::env::args_os())
}
