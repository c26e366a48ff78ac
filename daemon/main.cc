// The coopwatch executable: command line, signals and wiring of the core to
// the shell. Everything that can fail at start-up (config, data files, the
// metrics port) is turned into one clear line on stderr and exit code 2.

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <iostream>

#include "coopwatch/core/pipeline.h"
#include "io/config.h"
#include "io/data_dir.h"
#include "io/kafka.h"
#include "io/log.h"
#include "io/metrics.h"
#include "io/pipe_tools.h"
#include "io/runner.h"

extern char** environ;

namespace {

using namespace coopwatch;

std::atomic<bool> g_stop{false};    // SIGTERM / SIGINT: drain, commit, leave
std::atomic<bool> g_reload{false};  // SIGHUP: reload data files between batches

extern "C" void on_signal(int sig) {
  if (sig == SIGHUP) g_reload = true;
  else g_stop = true;
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

struct common_options {
  std::string config_path;
  std::vector<std::string> overrides;
  std::string data_dir;

  void add_to(CLI::App* app) {
    app->add_option("-c,--config", config_path, "YAML config file")->check(CLI::ExistingFile);
    app->add_option("--set", overrides, "override a config key: key=value (repeatable)");
    app->add_option("--data-dir", data_dir, "directory of lexicons and tables");
  }

  io::config load() const {
    auto all = overrides;
    if (!data_dir.empty()) all.push_back("data_dir=" + data_dir);
    return io::load_config(config_path, all, environ);
  }
};

core::pipeline_options pipeline_options(const io::config& cfg, bool emit_irrelevant) {
  core::pipeline_options opts;
  opts.limits.max_record_bytes = static_cast<std::size_t>(cfg.max_record_bytes);
  opts.passthrough = cfg.passthrough;
  opts.emit_irrelevant = emit_irrelevant;
  opts.pipeline_version = COOPWATCH_VERSION;
  return opts;
}

core::pipeline make_pipeline(const io::config& cfg, bool emit_irrelevant) {
  return core::pipeline(core::load_resources(io::read_data_dir(cfg.data_dir)),
                        pipeline_options(cfg, emit_irrelevant));
}

// The daemon's workers: one load of the data files, shared (read-only) by
// `count` pipelines, each with its own scratch buffers.
std::vector<core::pipeline> make_pipelines(const io::config& cfg, std::size_t count) {
  const auto resources = core::load_resources(io::read_data_dir(cfg.data_dir));
  std::vector<core::pipeline> out;
  out.reserve(count);
  auto opts = pipeline_options(cfg, false);
  opts.verdict_only = true;  // no one reads the cues of an irrelevant item here
  for (std::size_t i = 0; i < count; ++i) out.emplace_back(resources, opts);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"coopwatch: east-west poverty cooperation news, from a Kafka topic to structured events"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(COOPWATCH_VERSION));

  common_options run_opts, check_opts, pipe_opts;
  bool passthrough = false, all = false;

  auto* run = app.add_subcommand("run", "consume, classify, extract and publish (the daemon)");
  run_opts.add_to(run);
  run->add_flag("--passthrough", passthrough, "decode and forward only, no pipeline (benchmarks)");

  auto* check = app.add_subcommand("check-config", "validate a config and print it, secrets masked");
  check->add_option("file", check_opts.config_path, "YAML config file")->check(CLI::ExistingFile);
  check->add_option("--set", check_opts.overrides, "override a config key: key=value");

  auto* classify = app.add_subcommand("classify", "JSON lines on stdin -> events on stdout, no Kafka");
  classify->add_flag("--all", all, "also write an event with \"relevant\": false for irrelevant items");
  auto* normalize = app.add_subcommand("normalize", "print the normalised title and body of items on stdin");
  auto* explain = app.add_subcommand("explain", "print why items on stdin are or are not relevant");
  for (auto* sub : {classify, normalize, explain}) pipe_opts.add_to(sub);

  CLI11_PARSE(app, argc, argv);

  try {
    if (*check) {
      auto cfg = check_opts.load();
      io::validate_kafka_config(cfg);
      std::cout << io::describe_config(cfg);
      return 0;
    }
    if (*run) {
      auto cfg = run_opts.load();
      if (passthrough) cfg.passthrough = true;
      io::logger log(cfg.log_fmt, io::parse_log_level(cfg.log_level));
      io::validate_kafka_config(cfg);
      io::pipeline_factory factory = [&cfg](std::size_t count) { return make_pipelines(cfg, count); };
      io::metrics m(cfg.metrics_listen);
      install_signal_handlers();
      return io::run_daemon(cfg, factory, log, m, g_stop, g_reload);
    }
    auto cfg = pipe_opts.load();
    auto pipeline = make_pipeline(cfg, all);
    std::ios::sync_with_stdio(false);
    if (*classify) {
      auto counts = io::run_classify(pipeline, std::cin, std::cout, std::cerr);
      std::cout.flush();
      std::cerr << "coopwatch classify: " << counts.records << " records, " << counts.events
                << " relevant, " << counts.irrelevant << " irrelevant, " << counts.dead_letters
                << " rejected\n";
      return 0;
    }
    if (*normalize) return io::run_normalize(pipeline, std::cin, std::cout);
    if (*explain) return io::run_explain(pipeline, std::cin, std::cout);
  } catch (const io::config_error& e) {
    std::cerr << "coopwatch: config error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "coopwatch: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
