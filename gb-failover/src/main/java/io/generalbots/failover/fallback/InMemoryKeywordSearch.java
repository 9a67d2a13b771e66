package io.generalbots.failover.fallback;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.generalbots.scaling.search.KnowledgeSearch;
import io.generalbots.scaling.search.SearchHit;
import io.generalbots.scaling.search.SearchRequest;

/**
 * Keyword search over documents held in memory, per bot: words are lower-cased, accents removed,
 * split on anything that is not a letter or digit; a document matches when it has at least one
 * query word, scored by TF-IDF ({@code Σ tf × ln(1 + N / df)}), best first, ties by id. For small
 * knowledge bases and tests; {@link PostgresKeywordSearch} is the durable one. Thread-safe.
 */
public final class InMemoryKeywordSearch implements KnowledgeSearch {

    private record Doc(String id, String text, Map<String, Integer> terms) {
    }

    private final Map<String, Map<String, Doc>> bots = new ConcurrentHashMap<>();

    /**
     * Adds or replaces a document.
     *
     * @param botId the bot
     * @param id    the document id
     * @param text  the text
     */
    public void add(String botId, String id, String text) {
        Objects.requireNonNull(botId, "botId");
        Objects.requireNonNull(id, "id");
        Map<String, Integer> terms = new HashMap<>();
        for (String w : words(text)) {
            terms.merge(w, 1, Integer::sum);
        }
        bots.computeIfAbsent(botId, b -> new ConcurrentHashMap<>()).put(id, new Doc(id, text, Map.copyOf(terms)));
    }

    /**
     * Removes a document.
     *
     * @param botId the bot
     * @param id    the document id
     */
    public void remove(String botId, String id) {
        Map<String, Doc> docs = bots.get(botId);
        if (docs != null) {
            docs.remove(id);
        }
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        Map<String, Doc> docs = bots.getOrDefault(request.botId(), Map.of());
        Set<String> query = new LinkedHashSet<>(words(request.text()));
        if (query.isEmpty() || docs.isEmpty()) {
            return List.of();
        }
        List<Doc> all = new ArrayList<>(docs.values());
        Map<String, Integer> df = new HashMap<>();
        for (Doc d : all) {
            for (String q : query) {
                if (d.terms().containsKey(q)) {
                    df.merge(q, 1, Integer::sum);
                }
            }
        }
        List<SearchHit> hits = new ArrayList<>();
        for (Doc d : all) {
            double score = 0;
            for (String q : query) {
                Integer tf = d.terms().get(q);
                if (tf != null) {
                    score += tf * Math.log(1 + (double) all.size() / df.get(q));
                }
            }
            if (score > 0) {
                hits.add(new SearchHit(d.id(), score, d.text(), Map.of()));
            }
        }
        hits.sort(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::id));
        return List.copyOf(hits.subList(0, Math.min(request.limit(), hits.size())));
    }

    static List<String> words(String text) {
        String plain = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (String w : plain.split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
