//! The `switchrole` command. [`switchrole::front`] answers the command lines that run many
//! times a minute (a prompt, a cached `env`) itself, in a small binary that starts as fast
//! as a hello world; every other command line runs `switchrole-core`, installed beside it.

fn main() {
    switchrole::front::main()
}
