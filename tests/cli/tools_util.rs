//! Short forms of the harness for the tools tests: run tsudoi from a fresh temporary directory,
//! or in a [`Dir`] with `--dir <it>`.

use crate::util::{Dir, Output, tsudoi};

pub fn run(args: &[&str]) -> Output {
    tsudoi(args).run()
}

pub trait RunIn {
    /// tsudoi in this directory, with `--dir <it>`.
    fn run(&self, args: &[&str]) -> Output;
    /// The same with these environment variables.
    fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Output;
}

impl RunIn for Dir {
    fn run(&self, args: &[&str]) -> Output {
        self.tsudoi(args).run()
    }

    fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Output {
        self.tsudoi(args).envs(env).run()
    }
}
