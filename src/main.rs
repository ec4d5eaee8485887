use std::process::ExitCode;

fn main() -> ExitCode {
    tsudoi::complete_if_asked();
    tsudoi::run(std::env::args_os())
}
