// What a command handler sees: its arguments, the reply builder, the calling client's
// session, the keyspace and the server-wide state. Handlers parse arguments, call the
// keyspace, and build exactly one reply.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands/key_registry.h"
#include "commands/latency.h"
#include "commands/monitor.h"
#include "commands/pubsub.h"
#include "commands/slowlog.h"
#include "commands/tracking.h"
#include "common/clock.h"
#include "config/config.h"
#include "protocol/reply_builder.h"
#include "scripting/lua_vm.h"
#include "storage/keyspace.h"

namespace strata::commands {

struct CommandSpec;

// A blocking command (BLPOP, BZPOPMIN, ...) that found nothing to serve asks to wait by
// filling this in instead of replying. The server parks the client on the keys, first come
// first served, and runs the same command again when one of them is created with the wanted
// type; if it still finds nothing (another waiter won the race), it stays first in line.
struct BlockRequest {
  bool active = false;
  std::vector<std::string> keys;
  int64_t deadline_ms = 0;            // absolute; 0 = wait forever
  bool null_array_on_timeout = true;  // BLPOP-style (*-1) or BLMOVE-style ($-1) timeout reply
  storage::ValueType wanted = storage::ValueType::kList;
};

// An XREAD/XREADGROUP that had to wait: its arguments and the IDs it waits past (what '$'
// stood for when it blocked). The server runs a blocked command again with its original
// arguments; this lets the stream commands tell that run from a new command (see
// stream_commands.cc).
struct StreamWait {
  std::vector<std::string> args;
  std::vector<std::string> ids;  // one per key, "ms-seq"
  int64_t deadline_ms = 0;       // as in BlockRequest
};

// Per-client state that commands read and change.
struct Session {
  uint64_t id = 0;
  int db = 0;
  int protocol = 2;
  std::string name;
  std::string lib_name;
  std::string lib_ver;
  std::string addr;       // the peer's "ip:port" (SLOWLOG, MONITOR); empty in embedded use
  bool monitor = false;   // in MONITOR mode (monitor.h)
  bool no_evict = false;  // CLIENT NO-EVICT
  // Set by Dispatch instead of running a command that CLIENT PAUSE holds back: the connection
  // keeps the command unread and tries it again when the pause ends.
  bool postponed = false;
  int64_t created_ms = 0;
  bool close_after_reply = false;          // QUIT
  std::string_view last_command = "NULL";  // full name of the last command (CLIENT LIST cmd=)
  BlockRequest block;                      // set by a blocking command that must wait
  std::optional<StreamWait> stream_wait;   // set with `block` by XREAD/XREADGROUP
  // MULTI ... EXEC (transaction_commands.cc).
  bool in_multi = false;
  // While EXEC runs its queued commands, how many there are (0 otherwise): they may not block
  // nor MONITOR, and CLIENT LIST shows the client in MULTI (flags x, multi=N, cmd=exec).
  size_t exec_size = 0;
  bool multi_failed = false;  // a command was refused while queuing: EXEC aborts
  std::vector<std::vector<std::string>> queued;
  struct WatchedKey {
    int db;
    std::string key;
    uint64_t changes;  // the key's change count at WATCH (KeyRegistry::Watch)
  };
  std::vector<WatchedKey> watched;
  // Pub/sub subscriptions, in the order made (pubsub.h).
  std::vector<std::string> channels;
  std::vector<std::string> patterns;
  std::vector<std::string> shard_channels;  // SSUBSCRIBE
  // CLIENT REPLY: OFF drops every reply (and pub/sub message) until ON; SKIP drops its own
  // and the next command's. The connection applies them after each command.
  bool replies_off = false;
  int replies_to_skip = 0;
  // CLIENT CACHING YES|NO: whether the next command's reads are tracked (tracking.h).
  bool caching_once = false;
  // What SUBSCRIBE's and PSUBSCRIBE's confirmations count (shard channels count apart).
  size_t subscriptions() const { return channels.size() + patterns.size(); }
  // Whether a RESP2 connection is in the subscribed context.
  bool subscribed() const { return subscriptions() + shard_channels.size() > 0; }
};

// Client names and library attributes (CLIENT SETNAME, CLIENT SETINFO, HELLO SETNAME) may not
// contain spaces, newlines or control bytes.
inline bool ValidClientText(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '!' && c <= '~'; });
}

// Server-wide counters (INFO stats).
struct ServerStats {
  uint64_t peak_memory = 0;  // the highest used_memory seen (sampled by the timer and readers)
  uint64_t total_commands = 0;
  uint64_t total_connections = 0;
  uint64_t rejected_connections = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t expired_keys_base = 0;
  int64_t start_ms = 0;
  int64_t last_save_ms = 0;
  uint64_t saves = 0;
  uint64_t total_error_replies = 0;
  // INFO commandstats, by command (entries of the command table, so a pointer is the cheapest
  // key on this per-command path); INFO errorstats, by the error reply's first word ("ERR",
  // "WRONGTYPE"). Both cleared by CONFIG RESETSTAT.
  struct CommandStats {
    uint64_t calls = 0;
    uint64_t usec = 0;
    uint64_t rejected_calls = 0;  // refused before running: arity, OOM, MISCONF, context
    uint64_t failed_calls = 0;    // ran and answered an error
    // LATENCY HISTOGRAM: calls by duration, bucket k holding those of at most 2^k us.
    std::array<uint64_t, 40> latency_buckets{};
  };
  std::unordered_map<const CommandSpec*, CommandStats> commands;
  std::map<std::string, uint64_t, std::less<>> errors;
  // Counts an error reply (its text without the leading '-').
  void CountError(std::string_view text) {
    ++total_error_replies;
    size_t space = text.find(' ');
    std::string_view prefix = text.substr(0, space == std::string_view::npos ? text.size() : space);
    auto it = errors.find(prefix);
    if (it == errors.end()) it = errors.emplace(std::string(prefix), 0).first;
    ++it->second;
  }
};

// What only the network layer knows. The server implements it; embedded use has a null host.
class Host {
 public:
  virtual ~Host() = default;
  struct ClientInfo {
    std::string line;  // one CLIENT LIST line, without the trailing newline
    uint64_t id;
    std::string addr;
    std::string laddr;
    bool is_normal = true;
  };
  virtual std::vector<ClientInfo> Clients() = 0;
  // CLIENT KILL by id: true if a client was found (it is closed after the current batch).
  virtual bool KillClient(uint64_t id) = 0;
  // SHUTDOWN: stop accepting, flush, exit.
  virtual void Shutdown() = 0;
  virtual size_t ConnectedClients() = 0;
  virtual size_t ClientBufferBytes() = 0;
  virtual uint16_t Port() = 0;
  // A session's CLIENT INFO line.
  virtual std::string ClientInfoLine(const Session& session) = 0;
  // CLIENT UNBLOCK: true if the client was blocked (it then gets the timeout reply, or
  // "-UNBLOCKED client unblocked via CLIENT UNBLOCK" when `error`).
  virtual bool UnblockClient(uint64_t id, bool error) = 0;
  virtual size_t BlockedClients() = 0;
  // Pub/sub: appends an encoded message to a client's output (no-op if it is gone).
  virtual void Deliver(uint64_t id, std::string_view bytes) = 0;
  // The session of a connected client, or nullptr (CLIENT TRACKING's REDIRECT target).
  virtual const Session* FindSession(uint64_t id) = 0;
  // CLIENT UNPAUSE: the clients whose commands the pause held back go on.
  virtual void ResumePaused() = 0;
};

// CLIENT PAUSE: until end_ms, clients' commands (all of them, or those that may write) wait,
// unread, in the order they came.
struct ClientPause {
  enum Mode { kNone = 0, kWrite = 1, kAll = 2 };
  Mode mode = kNone;
  int64_t end_ms = 0;
  // Whether it holds at `now_ms`; a pause that has run out is forgotten here.
  bool Active(int64_t now_ms) {
    if (mode != kNone && now_ms >= end_ms) *this = ClientPause();
    return mode != kNone;
  }
};

struct ServerState {
  config::Config* config = nullptr;
  storage::Keyspace* keyspace = nullptr;
  Clock* clock = nullptr;
  Host* host = nullptr;
  ServerStats stats;
  uint64_t next_client_id = 1;
  // Flushes RocksDB memtables (SAVE/BGSAVE in durable profiles).
  std::function<Status()> save;
  PubSub pubsub;
  SlowLog slowlog;
  Monitors monitors;
  ClientPause pause;
  bool active_expire = true;  // DEBUG SET-ACTIVE-EXPIRE
  LatencyMonitor latency;
  Tracking tracking;
  KeyRegistry keys;  // blocked clients and WATCH, fed by the keyspace
  scripting::LuaVm scripts;  // EVAL's scripts (script_commands.cc)
  uint64_t current_client = 0;  // the client whose command runs (0: the server's own work)
};

struct CommandContext {
  std::span<const std::string_view> args;  // args[0] is the command name as sent
  protocol::ReplyBuilder& reply;
  Session& session;
  ServerState& server;

  storage::Keyspace& ks() const { return *server.keyspace; }
  size_t argc() const { return args.size(); }
  std::string_view arg(size_t i) const { return args[i]; }
};

// Replies with an error from a lower layer. The types layer returns Redis's exact reply text
// ("WRONGTYPE ...", "ERR hash value is not an integer") as InvalidArgument; that goes out as it
// is. Anything else (an I/O error, say) is prefixed with "ERR ".
void ReplyStatus(CommandContext& ctx, const Status& status);

// A HELP subcommand's reply: its lines as simple strings, as Redis sends them.
void ReplyHelp(CommandContext& ctx, std::span<const char* const> lines);

}  // namespace strata::commands
