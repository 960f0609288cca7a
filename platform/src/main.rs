use std::process::ExitCode;

fn main() -> ExitCode {
    // The attachment text extractor runs as a child of the server, under a memory and
    // time budget: no runtime, no configuration (see disclosure::sandbox).
    let args: Vec<String> = std::env::args().skip(1).take(2).collect();
    if let [command, media_type] = args.as_slice() {
        if command == gongkai::disclosure::extract::CHILD_COMMAND {
            return gongkai::disclosure::extract::child_main(media_type);
        }
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the async runtime starts")
        .block_on(gongkai::app::cli::main())
}
