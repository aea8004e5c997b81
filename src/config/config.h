// Strata's configuration: redis.conf syntax and directive names, plus the profile directive.
//
// One table of directives (config.cc) is the single source for parsing a file, parsing
// command-line overrides, CONFIG GET (glob patterns) and CONFIG SET (only directives marked
// mutable). Values live in a plain ServerConfig struct that the rest of the program reads.
//
// Threading: a Config is owned by the execution thread; it is not synchronised.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "config/policies.h"

namespace strata::config {

struct ServerConfig {
  Profile profile = Profile::kSession;
  int port = 6379;
  std::vector<std::string> bind = {"127.0.0.1"};
  std::string dir = ".";
  uint64_t maxmemory = 0;  // 0 = no limit
  EvictionPolicy maxmemory_policy = EvictionPolicy::kNoEviction;
  FsyncPolicy appendfsync = FsyncPolicy::kEverySec;
  int databases = 16;
  std::string loglevel = "notice";  // debug | verbose | notice | warning
  std::string logfile;              // empty = standard output
  int maxclients = 10000;
  int timeout = 0;  // seconds of idleness before a client is closed; 0 = never
  int tcp_keepalive = 300;
  int64_t proto_max_bulk_len = 512ll * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024ll * 1024 * 1024;
  int hz = 10;  // background task frequency (active expiry), as Redis
  // Streams drop entries older than this in the background (ms; 0 = keep everything), unless
  // XRETENTION gave the stream its own.
  int64_t stream_retention_ms = 0;
  // Writes of a value (a string, or one element) larger than this are counted in INFO stats
  // (strata_big_value_writes) and logged, at most once a second; 0 = off.
  int64_t big_value_warn = 1ll << 20;
  // Durable profiles: a checkpoint starts when the redo log file reaches this many bytes, and
  // ends by the time the next file does, so a restart replays at most about twice this. Larger
  // means fewer checkpoints under heavy writes and a longer replay after a crash (about 1.5 s
  // per 100 MB measured). 32 MB made a checkpoint a second under redis-benchmark's -P 16 load
  // and halved HSET's rate; 64 MB, as Redis's auto-aof-rewrite-min-size, did not.
  int64_t checkpoint_log_size = 64ll << 20;
  // The slow log (SLOWLOG): commands that take at least this many microseconds are recorded
  // (0: every command; -1: none), and at most slowlog_max_len entries are kept.
  int64_t slowlog_log_slower_than = 10000;
  int64_t slowlog_max_len = 128;
  // notify-keyspace-events: the classes published (keyspace_events.h); 0 = none, the default.
  uint32_t notify_keyspace_events = 0;
  // LATENCY: spikes of at least this many milliseconds are recorded; 0 = off.
  int64_t latency_monitor_threshold = 0;
  // CLIENT TRACKING remembers at most this many keys (0: no limit); past it, keys are
  // forgotten with an invalidation, as Redis does.
  int64_t tracking_table_max_keys = 1000000;
  // DEBUG: "no" (refused, Redis 7.0's default), "yes", or "local" (loopback clients only).
  std::string enable_debug_command = "no";
  // client-output-buffer-limit, per client class: bytes of pending output past which a client
  // is disconnected at once (hard) or after staying above it for soft_seconds (soft); 0 = no
  // limit. Redis's defaults.
  struct OutputBufferLimit {
    int64_t hard = 0;
    int64_t soft = 0;
    int64_t soft_seconds = 0;
  };
  OutputBufferLimit output_limit_normal;
  OutputBufferLimit output_limit_replica{256ll << 20, 64ll << 20, 60};
  OutputBufferLimit output_limit_pubsub{32ll << 20, 8ll << 20, 60};
  std::string config_file;  // absolute path of the file loaded, empty if none

  // Accepted so that redis.conf files and clients that probe them keep working; Strata takes
  // snapshots of nothing and does not enforce protected mode. Stored only for CONFIG GET.
  std::string save;             // "seconds changes [seconds changes ...]", "" = none
  bool appendonly = false;      // as written; CONFIG GET reports the profile's durability instead
  bool protected_mode = false;  // not enforced, so not claimed by default
};

// Called after CONFIG SET changed a directive, with its name, so the server can apply it
// (resize the hot tier, change the log level, switch the fsync policy).
using ChangeListener = std::function<void(std::string_view name)>;

class Config {
 public:
  Config();

  ServerConfig& values() { return values_; }
  const ServerConfig& values() const { return values_; }

  // Parses `strata-server [file.conf] [--directive value ...]` arguments (argv[0] excluded).
  // --version and --help are handled by the caller before this. The file is read first; each
  // `--name` then starts a directive line whose arguments are the following non-`--` arguments,
  // applied after the file so they override it. Errors name the file (or the command line,
  // counting each --directive as a line), the line and the directive, e.g.
  //   "*** FATAL CONFIG FILE ERROR (Strata) ***\n"
  //   "Reading the configuration file 'conf/x.conf', at line 3\n"
  //   ">>> 'port abc'\n"
  //   "argument couldn't be parsed into an integer"
  // A file that cannot be read fails with IOError naming the file.
  Status LoadFromArgs(const std::vector<std::string>& args);
  // Parses the text of a config file (`origin` names it in messages).
  Status LoadFromString(std::string_view text, std::string_view origin);
  // After loading: fills the profile's defaults for directives the user did not set
  // (maxmemory-policy allkeys-lru for cache and noeviction otherwise; appendfsync everysec
  // for session, always for queue) and checks combinations (durable profiles force noeviction).
  // Call once, after the Load* calls and before serving.
  Status Finalize();

  // Messages for the server to log at startup: settings that were accepted but overridden or
  // that have no effect (e.g. an eviction policy in a durable profile). Filled by Finalize.
  const std::vector<std::string>& warnings() const { return warnings_; }
  // True if the file or the command line set `name` (canonical lowercase directive name).
  bool IsExplicit(std::string_view name) const;

  // CONFIG GET: every directive whose name matches one of the glob patterns, as
  // (name, value) pairs in table order, each name once.
  std::vector<std::pair<std::string, std::string>> Get(
      const std::vector<std::string_view>& patterns) const;
  // CONFIG SET name value [name value ...]: all-or-nothing; names are checked (unknown,
  // immutable, duplicate) before any value is parsed, as Redis does. Listeners are called once
  // per directive whose reported value changed. On error returns Redis's text, e.g.
  //   "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"
  //   "ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config"
  //   "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory
  //   value"
  Status Set(const std::vector<std::pair<std::string_view, std::string_view>>& pairs);

  void AddListener(ChangeListener listener) { listeners_.push_back(std::move(listener)); }

  // CONFIG REWRITE: brings the file the server was started with up to date, keeping its
  // comments, order and unknown lines. A directive's first line gets the current value (a line
  // whose value is already current stays exactly as written, units and all), its other lines
  // go, and directives set on the command line or by CONFIG SET but absent from the file are
  // appended. The new file replaces the old one atomically (write, fsync, rename). Errors are
  // Redis's texts ("ERR The server is running without a config file", "ERR Rewriting config
  // file: ...").
  Status Rewrite() const;

 private:
  ServerConfig values_;
  std::vector<std::string> explicitly_set_;
  std::vector<std::string> warnings_;
  std::vector<ChangeListener> listeners_;
};

}  // namespace strata::config
