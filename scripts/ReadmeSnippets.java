import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Copies the README snippets that are marked to be compiled into the consumer project, exactly as
 * written, and checks that gb-dependencies manages the versions the build uses.
 *
 * <p>A snippet is a fenced block preceded by {@code <!-- snippet: NAME -->} (blank lines allowed
 * between). A {@code java} block must be one complete compilation unit whose public type is NAME;
 * it is written to {@code OUT/java/PACKAGE/NAME.java}. Any other block ({@code csv}, {@code xml})
 * is written to {@code OUT/files/NAME}. Unmarked blocks are fragments and are not copied.
 *
 * <p>Usage: {@code java scripts/ReadmeSnippets.java ROOT OUT}. Exits 1 naming the file and line of
 * any problem: a marker without a block, a class not named NAME, a name used twice, or a version
 * property of gb-dependencies/pom.xml that differs from the root pom.xml's.
 */
public final class ReadmeSnippets {

    private static final Pattern MARKER = Pattern.compile("^<!--\\s*snippet:\\s*([A-Za-z0-9._-]+)\\s*-->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^```([A-Za-z0-9]*)\\s*$");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([A-Za-z0-9_.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern PROPERTY = Pattern.compile("<([A-Za-z0-9.-]+\\.version)>([^<]*)</\\1>");

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java scripts/ReadmeSnippets.java ROOT OUT");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<String> problems = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        List<Path> docs;
        try (Stream<Path> files = Files.walk(root, 2)) {
            docs = files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.toString().contains("/target/") && !p.startsWith(root.resolve("consumer")))
                    .sorted().toList();
        }
        int files = 0;
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
            boolean any = false;
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = MARKER.matcher(lines.get(i).trim());
                if (!m.matches()) {
                    continue;
                }
                String name = m.group(1);
                String where = root.relativize(doc) + ":" + (i + 1);
                int start = i + 1;
                while (start < lines.size() && lines.get(start).isBlank()) {
                    start++;
                }
                Matcher fence = start < lines.size() ? FENCE.matcher(lines.get(start)) : null;
                if (fence == null || !fence.matches()) {
                    problems.add(where + ": snippet " + name + " must be followed by a fenced block");
                    continue;
                }
                int end = start + 1;
                while (end < lines.size() && !lines.get(end).startsWith("```")) {
                    end++;
                }
                if (end == lines.size()) {
                    problems.add(where + ": snippet " + name + "'s block is never closed");
                    continue;
                }
                String code = String.join("\n", lines.subList(start + 1, end)) + "\n";
                if (seen.put(name, where) != null) {
                    problems.add(where + ": snippet name " + name + " is used twice (also at " + seen.get(name) + ")");
                }
                Path target;
                if (fence.group(1).equals("java")) {
                    if (!Pattern.compile("public\\s+(final\\s+|abstract\\s+)?(class|interface|record|enum)\\s+"
                            + Pattern.quote(name) + "\\b").matcher(code).find()) {
                        problems.add(where + ": snippet " + name + " must declare public class " + name);
                        continue;
                    }
                    Matcher pkg = PACKAGE.matcher(code);
                    String dir = pkg.find() ? pkg.group(1).replace('.', '/') : "";
                    target = out.resolve("java").resolve(dir).resolve(name + ".java");
                } else {
                    target = out.resolve("files").resolve(name);
                }
                Files.createDirectories(target.getParent());
                Files.writeString(target, code, StandardCharsets.UTF_8);
                System.out.println("  snippet " + name + " <- " + where);
                any = true;
            }
            files += any ? 1 : 0;
        }
        checkVersions(root, problems);
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println(p));
            System.exit(1);
        }
        System.out.println("readme snippets: " + seen.size() + " from " + files + " files; gb-dependencies versions"
                + " match the parent pom");
    }

    /** Every version property gb-dependencies declares must equal the root pom's of the same name. */
    private static void checkVersions(Path root, List<String> problems) throws IOException {
        Map<String, String> parent = properties(root.resolve("pom.xml"));
        Map<String, String> bom = properties(root.resolve("gb-dependencies/pom.xml"));
        if (bom.isEmpty()) {
            problems.add("gb-dependencies/pom.xml: no version properties found");
        }
        bom.forEach((name, value) -> {
            String expected = parent.get(name);
            if (!value.equals(expected)) {
                problems.add("gb-dependencies/pom.xml: " + name + " must be the parent pom's " + expected
                        + " (the version gb-scaling is built and tested with), but was " + value);
            }
        });
    }

    private static Map<String, String> properties(Path pom) throws IOException {
        String text = Files.readString(pom, StandardCharsets.UTF_8);
        int start = text.indexOf("<properties>");
        int end = text.indexOf("</properties>");
        Map<String, String> out = new LinkedHashMap<>();
        if (start < 0 || end < start) {
            return out;
        }
        Matcher m = PROPERTY.matcher(text.substring(start, end));
        while (m.find()) {
            out.put(m.group(1), m.group(2).trim());
        }
        return out;
    }
}
