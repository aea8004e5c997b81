#include "commands/dispatch.h"

#include "commands/command_table.h"
#include "commands/errors.h"

namespace strata::commands {
namespace {

bool ArityOk(int arity, size_t argc) {
  return arity > 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
}

}  // namespace

void Dispatch(ServerState& server, Session& session, std::span<const std::string_view> args,
              protocol::ReplyBuilder& reply) {
  const CommandTable& table = CommandTable::Get();
  const CommandSpec* spec = table.Find(args[0]);
  if (spec == nullptr) {
    reply.Error(errors::UnknownCommand(args[0], args.data() + 1, args.size() - 1));
    return;
  }
  if (table.HasSubcommands(*spec) && (args.size() >= 2 || spec->handler == nullptr)) {
    if (args.size() < 2) {
      reply.Error(errors::WrongArity(spec->name));
      return;
    }
    const CommandSpec* sub = table.FindSub(*spec, args[1]);
    if (sub == nullptr) {
      reply.Error(errors::UnknownSubcommand(args[1], spec->name));
      return;
    }
    spec = sub;
  }
  if (!ArityOk(spec->arity, args.size())) {
    reply.Error(errors::WrongArity(spec->name));
    return;
  }
  storage::Keyspace& ks = *server.keyspace;
  if ((spec->flags & kWrite) && !ks.write_error().ok()) {
    // As Redis answers when its AOF cannot be written: the data on disk is what counts.
    reply.Error("MISCONF Errors writing to the AOF file: " + ks.write_error().message());
    return;
  }
  ks.SetCommandTime(server.clock->NowMs());
  if (ks.maxmemory() != 0) {
    bool fits = ks.EnforceMemory();
    if (!fits && (spec->flags & kDenyOom) && ks.OverMemoryLimit()) {
      reply.Error(errors::kOom);
      return;
    }
  }
  ++server.stats.total_commands;
  session.last_command = spec->name;
  CommandContext ctx{args, reply, session, server};
  spec->handler(ctx);
}

}  // namespace strata::commands
