#include "commands/dispatch.h"

#include <algorithm>
#include <bit>
#include <chrono>

#include "commands/command_table.h"
#include "commands/errors.h"
#include "commands/transaction.h"

namespace strata::commands {
namespace {

// The commands that act at once inside MULTI instead of being queued, as in Redis.
bool ControlsTransaction(std::string_view name) {
  return name == "exec" || name == "discard" || name == "multi" || name == "watch" ||
         name == "quit" || name == "reset";
}

// A RESP2 connection with subscriptions reads messages: only these commands are taken.
bool AllowedWhenSubscribed(std::string_view name) {
  return name == "subscribe" || name == "unsubscribe" || name == "psubscribe" ||
         name == "punsubscribe" || name == "ssubscribe" || name == "sunsubscribe" ||
         name == "ping" || name == "quit" || name == "reset";
}

// Whether a command queued in the session's MULTI has any of `flags`.
bool QueuedWithFlags(const Session& session, uint32_t flags) {
  const CommandTable& table = CommandTable::Get();
  for (const std::vector<std::string>& queued : session.queued) {
    const CommandSpec* q = table.Find(queued[0]);
    if (q != nullptr && (q->flags & flags) != 0) return true;
  }
  return false;
}

// Whether CLIENT PAUSE holds this command back now (and lifts a pause that has run out).
// Under WRITE, what may write waits: a write, PUBLISH (may replicate), an EXEC that queued one.
bool HeldByPause(ServerState& server, const Session& session, const CommandSpec& spec) {
  if (!server.pause.Active(server.clock->NowMs())) return false;
  if (server.pause.mode == ClientPause::kAll) return true;
  constexpr uint32_t kMayWrite = kWrite | kMayReplicate;
  if ((spec.flags & kMayWrite) != 0) return true;
  return spec.name == "exec" && QueuedWithFlags(session, kMayWrite);
}

}  // namespace

void ReleaseSession(ServerState& server, Session& session) {
  EndTransaction(server, session);
  server.pubsub.Forget(session);
  server.monitors.Remove(session);
  server.tracking.Disable(session);
}

// CLIENT TRACKING's part of a command, after its reply: the keys a read-only command read
// are remembered (default mode, as OPTIN/OPTOUT and CLIENT CACHING allow), and invalidations
// of the client's own changes go out.
void AfterTrackedCommand(ServerState& server, Session& session, const CommandSpec& spec,
                         std::span<const std::string_view> args) {
  const Tracking::Mode* mode = server.tracking.ModeOf(session.id);
  if (mode == nullptr) return;
  if (!mode->bcast && (spec.flags & kReadOnly) != 0) {
    const bool track = mode->optin ? session.caching_once : !(mode->optout && session.caching_once);
    if (track) {
      auto positions = CommandTable::KeyPositions(spec, args.size(), args);
      if (positions) {
        std::vector<std::string_view> keys;
        for (size_t i : *positions) keys.push_back(args[i]);
        server.tracking.Remember(
            server, session.id, keys,
            static_cast<size_t>(server.config->values().tracking_table_max_keys));
      }
    }
  }
  if (spec.name != "client|caching") session.caching_once = false;
  server.tracking.FlushOwn(server, session.id);
}

void Dispatch(ServerState& server, Session& session, std::span<const std::string_view> args,
              protocol::ReplyBuilder& reply) {
  const CommandTable& table = CommandTable::Get();
  const CommandSpec* spec = table.Find(args[0]);
  // A command refused inside MULTI makes the transaction's EXEC abort; a refused EXEC ends
  // the transaction at once, saying why.
  const CommandSpec* counted = spec;  // whose rejected_calls a refusal counts, if any
  auto refuse = [&](std::string_view error) {
    if (counted != nullptr) ++server.stats.commands[counted].rejected_calls;
    if (spec != nullptr && spec->name == "exec") {
      EndTransaction(server, session);
      std::string_view why = error.substr(0, 4) == "ERR " ? error.substr(4) : error;
      server.stats.CountError("EXECABORT");
      return reply.Error("EXECABORT Transaction discarded because of: " + std::string(why));
    }
    if (session.in_multi) session.multi_failed = true;
    server.stats.CountError(error);
    reply.Error(error);
  };
  if (spec == nullptr) {
    return refuse(errors::UnknownCommand(args[0], args.data() + 1, args.size() - 1));
  }
  if (table.HasSubcommands(*spec) && (args.size() >= 2 || spec->handler == nullptr)) {
    if (args.size() < 2) return refuse(errors::WrongArity(spec->name));
    const CommandSpec* sub = table.FindSub(*spec, args[1]);
    if (sub == nullptr) {
      counted = nullptr;  // as in Redis: an unknown subcommand is nobody's rejected call
      return refuse(errors::UnknownSubcommand(args[1], spec->name));
    }
    spec = sub;
    counted = sub;
  }
  if (!spec->ArityOk(args.size())) return refuse(errors::WrongArity(spec->name));
  storage::Keyspace& ks = *server.keyspace;
  if ((spec->flags & kWrite) && !ks.write_error().ok()) {
    // As Redis answers when its AOF cannot be written: the data on disk is what counts.
    return refuse("MISCONF Errors writing to the AOF file: " + ks.write_error().message());
  }
  ks.SetCommandTime(server.clock->NowMs());
  ks.SetKeepExpired(server.pause.mode != ClientPause::kNone &&
                    server.pause.Active(server.clock->NowMs()));
  // Inside EXEC, memory was made to fit before the transaction, as in Redis: evicting a key
  // the transaction just wrote would break it.
  if (ks.maxmemory() != 0 && session.exec_size == 0) {
    bool fits = ks.EnforceMemory();
    // As Redis: queuing takes memory, so inside MULTI anything but EXEC, DISCARD, QUIT and
    // RESET is refused; EXEC is refused if it queued a command that would be.
    const bool reject_on_oom =
        (spec->flags & kDenyOom) != 0 ||
        (session.in_multi && spec->name != "exec" && spec->name != "discard" &&
         spec->name != "quit" && spec->name != "reset") ||
        (spec->name == "exec" && session.in_multi && QueuedWithFlags(session, kDenyOom));
    if (!fits && reject_on_oom && ks.OverMemoryLimit()) return refuse(errors::kOom);
  }
  if (session.protocol == 2 && session.subscribed() && !AllowedWhenSubscribed(spec->name)) {
    return refuse("ERR Can't execute '" + std::string(spec->name) +
                  "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in "
                  "this context");
  }
  if (server.pause.mode != ClientPause::kNone && session.exec_size == 0 &&
      HeldByPause(server, session, *spec)) {
    session.postponed = true;  // no reply: the connection tries the command again later
    return;
  }
  if (session.monitor && (spec->flags & (kWrite | kReadOnly | kMayReplicate)) != 0) {
    // Redis marks a MONITOR client as a replica, and a replica does not touch the keyspace.
    return refuse("ERR Replica can't interact with the keyspace");
  }
  if (session.in_multi && (spec->flags & kNoMulti) != 0) {
    return refuse("ERR Command not allowed inside a transaction");
  }
  if (session.in_multi && !ControlsTransaction(spec->name)) {
    session.queued.emplace_back(args.begin(), args.end());
    reply.SimpleString("QUEUED");
    return;
  }
  ++server.stats.total_commands;
  if (session.exec_size == 0) session.last_command = spec->name;  // inside EXEC it stays exec
  CommandContext ctx{args, reply, session, server};
  const size_t reply_start = reply.buffer()->size();
  const auto started = std::chrono::steady_clock::now();
  server.current_client = session.id;
  spec->handler(ctx);
  server.current_client = 0;
  const auto elapsed = std::chrono::steady_clock::now() - started;
  if (server.tracking.clients() != 0) AfterTrackedCommand(server, session, *spec, args);
  const int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
  ServerStats::CommandStats& stats = server.stats.commands[spec];
  ++stats.calls;
  stats.usec += static_cast<uint64_t>(micros);
  const size_t bucket =
      micros <= 1 ? 0 : static_cast<size_t>(std::bit_width(static_cast<uint64_t>(micros - 1)));
  ++stats.latency_buckets[std::min(bucket, stats.latency_buckets.size() - 1)];
  if (!server.monitors.empty() && (spec->flags & (kSkipMonitor | kAdmin)) == 0 &&
      server.host != nullptr) {
    const std::string line = MonitorLine(server.clock->NowUs(), session.db, session.addr, args);
    for (uint64_t id : server.monitors.ids()) server.host->Deliver(id, line);
  }
  const config::ServerConfig& cfg = server.config->values();
  if (cfg.latency_monitor_threshold > 0 && micros / 1000 >= cfg.latency_monitor_threshold) {
    server.latency.Record((spec->flags & kFast) ? "fast-command" : "command", micros / 1000,
                          server.clock->NowMs() / 1000);
  }
  if (cfg.slowlog_log_slower_than >= 0 && micros >= cfg.slowlog_log_slower_than &&
      (spec->flags & kSkipSlowlog) == 0) {
    server.slowlog.Push(args, micros, server.clock->NowMs() / 1000, session.addr, session.name,
                        static_cast<size_t>(cfg.slowlog_max_len));
  }
  // An error reply of its own (EXEC's queued commands count theirs as they run).
  const std::string& out = *reply.buffer();
  if (out.size() > reply_start && out[reply_start] == '-') {
    ++stats.failed_calls;
    size_t end = out.find('\r', reply_start);
    server.stats.CountError(std::string_view(out).substr(reply_start + 1, end - reply_start - 1));
  }
}

}  // namespace strata::commands
