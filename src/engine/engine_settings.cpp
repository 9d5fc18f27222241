// Settings a user changes at run time (max, min, order, GPUs on/off, dispatch) are saved in the
// store as each command changes them (engine_commands.cpp) and put back here at the next start,
// so that a restart, planned or after a crash, carries on as the user left it (DESIGN.md §3).
// An option given on the command line wins, and says so when it differs from what was saved;
// it is not saved itself (only what a command changes is), so the saved setting is back at the
// next start without the option. A saved value that does not read back (another version wrote
// it, a GPU is no longer there) is set aside with a message: the setting keeps its default.
#include "core/saved_settings.hpp"
#include "engine/engine.hpp"

namespace flowline {
namespace {

std::string or_none(const std::string& gpus) { return gpus.empty() ? "none" : gpus; }

std::string order_shown(const std::string& order_text) {
  if (order_text.empty()) return "default";
  Result<GpuOrder> order = parse_gpu_order(order_text);
  return order.ok() ? to_string(*order) : order_text;
}

}  // namespace

void Engine::restore_settings() {
  auto saved = [&](const char* key) -> std::optional<std::string> {
    Result<std::optional<std::string>> value = parts_.store->setting(key);
    if (value.ok()) return *value;
    say(std::string("the saved setting ") + key + " could not be read: " + value.error().message);
    return std::nullopt;
  };
  auto set_aside = [&](const std::string& what, const std::string& why) {
    say("the saved " + what + " is ignored: " + why);
  };
  auto command_line_wins = [&](const std::string& what, const std::string& now,
                               const std::string& was) {
    if (now != was)
      say(what + " " + now + " from the command line (the saved setting was " + was + ")");
  };
  SchedulerSettings& s = scheduler_.settings();
  std::vector<std::string> applied;

  if (std::optional<std::string> text = saved(saved::kMaxRunning)) {
    Result<int64_t> n = saved::parse_number(*text, 1);
    if (!n.ok())
      set_aside("max", n.error().message);
    else if (config_.given.max_running)
      command_line_wins("max", std::to_string(s.max_running), *text);
    else {
      s.max_running = *n;
      applied.push_back("max " + *text);
    }
  }
  if (std::optional<std::string> text = saved(saved::kMinMem); text && *text == saved::kAuto) {
    if (config_.given.min_mem)
      command_line_wins(
          "min", s.min_mem_auto ? "auto" : std::to_string(s.default_min_mem_mib) + " MiB", "auto");
    else {
      s.min_mem_auto = true;
      applied.push_back("min auto");
    }
  } else if (text) {
    Result<int64_t> mib = saved::parse_number(*text, 0);
    if (!mib.ok())
      set_aside("min", mib.error().message);
    else if (config_.given.min_mem)
      command_line_wins("min",
                        s.min_mem_auto ? "auto" : std::to_string(s.default_min_mem_mib) + " MiB",
                        *text + " MiB");
    else {
      s.default_min_mem_mib = *mib;
      applied.push_back("min " + *text + " MiB");
    }
  }
  if (std::optional<std::string> text = saved(saved::kGpuOrder)) {
    Result<std::optional<GpuOrder>> order = saved::parse_order(*text);
    if (!order.ok())
      set_aside("order '" + *text + "'", order.error().message);
    else if (config_.given.order)
      command_line_wins("order", order_shown(config_.order_text), saved::order_text(*order));
    else {
      const GpuOrder keys = order->value_or(default_gpu_order());
      config_.order_text = *order ? to_string(keys) : "";
      config_.gpu_order = [keys](const GpuInfo& a, const GpuInfo& b) {
        return gpu_less(keys, a, b);
      };
      applied.push_back("order " + saved::order_text(*order));
    }
  }
  if (std::optional<std::string> text = saved(saved::kDisabledGpus)) {
    Result<std::set<int>> gpus = saved::parse_gpu_set(*text);
    if (!gpus.ok())
      set_aside("disabled GPUs", gpus.error().message);
    else if (config_.given.gpus)
      command_line_wins("disabled GPUs", or_none(saved::gpu_set_text(s.disabled_gpus)),
                        or_none(*text));
    else {
      std::set<int> known;
      const auto sample = parts_.gpus->latest();  // held: the sampler may free it mid-loop
      for (const GpuInfo& g : *sample) known.insert(g.index);
      std::set<int> disabled;
      for (int gpu : *gpus) {
        if (known.count(gpu))
          disabled.insert(gpu);
        else
          set_aside("disabled GPU " + std::to_string(gpu),
                    "there is no GPU " + std::to_string(gpu) + " now");
      }
      s.disabled_gpus = disabled;
      if (!disabled.empty()) applied.push_back("disabled GPUs " + saved::gpu_set_text(disabled));
    }
  }
  // Dispatch: what the user last chose with `run on|off` carries over to batch mode (and to a
  // service), so that a restart after a crash or a reboot goes on dispatching if it was, and a
  // paused FlowLine stays paused. An interactive session starts stopped whatever was saved (the
  // original's prompt: the user looks before anything launches); --start turns dispatch on in
  // either mode, over a saved "off".
  if (std::optional<std::string> text = saved(saved::kDispatching)) {
    Result<bool> on = saved::parse_on_off(*text);
    if (!on.ok())
      set_aside("dispatch setting", on.error().message);
    else if (config_.given.start)
      command_line_wins("dispatch", "on", *text);
    else if (config_.interactive) {
      if (*on)
        say("dispatch starts stopped, as every interactive session does (the saved setting "
            "was on)");
    } else {
      s.dispatching = *on;
      if (!*on) applied.push_back("dispatch off (no run starts until dispatch is turned on)");
    }
  }
  if (!applied.empty()) {
    std::string line = "saved settings applied: ";
    for (size_t i = 0; i < applied.size(); ++i) line += (i ? ", " : "") + applied[i];
    say(line);
  }
}

std::string Engine::save_setting(const char* key, const std::string& value) {
  Status s = parts_.store->set_setting(key, value);
  if (s.ok()) return "";
  return " (in force now, but not saved for the next start: " + s.error().message + ")";
}

}  // namespace flowline
