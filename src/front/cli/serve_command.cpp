// `flowline serve TABLE`: the engine as a long-running service (systemd, tmux, nohup) with
// the HTTP API; the same options as `flowline run`.
#include <cstdio>

#include "front/app/engine_stack.hpp"
#include "front/app/run_engine.hpp"
#include "front/cli/commands.hpp"
#include "front/cli/option_defaults.hpp"
#include "front/cli/run_options.hpp"
#include "front/shell/text_width.hpp"

namespace flowline::cli {

int serve_main(const Args& args) {
  Result<RunOptions> parsed = parse_run_options_with_defaults(args, "serve");
  if (!parsed.ok()) {
    std::fprintf(stderr, "flowline serve: %s\n", parsed.error().message.c_str());
    return kExitBadInput;
  }
  RunOptions options = *parsed;
  if (options.help) {
    std::fputs(run_options_help("serve").c_str(), stdout);
    return kExitOk;
  }
  choose_mode(options);
  SignalScope signals(false);  // before build_engine_stack starts any thread
  Result<std::unique_ptr<EngineStack>> stack = build_engine_stack(options);
  if (!stack.ok()) {
    std::fprintf(stderr, "flowline serve: %s\n",
                 shell::visible_lines(stack.error().message).c_str());
    return kExitBadInput;
  }
  return run_engine(**stack, options, "flowline serve");
}

}  // namespace flowline::cli
