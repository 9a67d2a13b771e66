package io.generalbots.autoscale.instance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A command runner that records every command and answers from a script of results. */
final class RecordingRunner implements CommandRunner {
    final List<String> commands = new ArrayList<>();
    final Deque<Result> answers = new ArrayDeque<>();

    RecordingRunner answer(int code, String stdout, String stderr) {
        answers.add(new Result(code, stdout, stderr));
        return this;
    }

    RecordingRunner ok(String stdout) {
        return answer(0, stdout, "");
    }

    @Override
    public Result run(List<String> command) {
        commands.add(String.join(" ", command));
        return answers.isEmpty() ? new Result(0, "", "") : answers.removeFirst();
    }

    @Override
    public void spawn(List<String> command) {
        commands.add(String.join(" ", command) + " &");
    }
}
