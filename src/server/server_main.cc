// strata-server [file.conf] [--directive value ...], invoked exactly as redis-server.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "config/config.h"
#include "net/server.h"

namespace {

void PrintHelp() {
  std::cout
      << "Usage: ./strata-server [/path/to/strata.conf] [options]\n"
         "       ./strata-server -v or --version\n"
         "       ./strata-server -h or --help\n\n"
         "Examples:\n"
         "       ./strata-server (session profile, data in the current directory)\n"
         "       ./strata-server conf/queue.conf\n"
         "       ./strata-server --port 7777 --profile cache --maxmemory 100mb\n"
         "       ./strata-server conf/session.conf --dir /var/lib/strata --loglevel verbose\n";
}

spdlog::level::level_enum LevelOf(const std::string& loglevel) {
  if (loglevel == "debug") return spdlog::level::debug;
  if (loglevel == "verbose") return spdlog::level::debug;
  if (loglevel == "warning") return spdlog::level::warn;
  return spdlog::level::info;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "-v" || args[0] == "--version")) {
    std::cout << "Strata server v=" << STRATA_VERSION << " redis-compatible=7.0.15 bits=64\n";
    return 0;
  }
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    PrintHelp();
    return 0;
  }
  auto config = std::make_unique<strata::config::Config>();
  strata::Status s = config->LoadFromArgs(args);
  if (s.ok()) s = config->Finalize();
  if (!s.ok()) {
    std::cerr << s.message() << std::endl;
    return 1;
  }
  const strata::config::ServerConfig& cfg = config->values();

  try {
    std::shared_ptr<spdlog::logger> logger;
    if (cfg.logfile.empty()) {
      logger = spdlog::stdout_logger_mt("strata");
    } else {
      logger = spdlog::basic_logger_mt("strata", cfg.logfile);
    }
    logger->set_pattern("%P:M %d %b %Y %H:%M:%S.%e %^%L%$ %v");
    logger->set_level(LevelOf(cfg.loglevel));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
  } catch (const spdlog::spdlog_ex& e) {
    std::cerr << "cannot open log file '" << cfg.logfile << "': " << e.what() << std::endl;
    return 1;
  }
  for (const auto& w : config->warnings()) spdlog::warn("{}", w);

  std::error_code ec;
  std::filesystem::create_directories(cfg.dir, ec);
  if (ec) {
    spdlog::error("cannot create dir '{}': {}", cfg.dir, ec.message());
    return 1;
  }
  std::signal(SIGPIPE, SIG_IGN);

  bool durable = cfg.profile != strata::config::Profile::kCache;
  spdlog::info("Strata {} starting: profile={} port={} dir={} pid={} fsync={} maxmemory={}",
               STRATA_VERSION, strata::config::ProfileName(cfg.profile), cfg.port, cfg.dir,
               getpid(),
               durable ? strata::config::FsyncPolicyName(cfg.appendfsync) : "none (memory only)",
               cfg.maxmemory);
  strata::net::Server server;
  s = server.Start(std::move(config));
  if (!s.ok()) {
    spdlog::error("cannot start: {}", s.message());
    return 1;
  }
  spdlog::info("Ready to accept connections tcp on port {}", server.Port());
  return server.Run();
}
