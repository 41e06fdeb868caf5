/// The steps of every chain as a trie: chains whose first k steps are the same strategies with the same parameters
/// share the first k nodes.
struct StepTrie {
    private struct Key: Hashable {
        var parent: Int
        var strategy: String
        var parameters: Parameters
    }

    /// Per node, in creation order: its step, its parent (-1 for a root), its depth and its children.
    private(set) var steps: [ScenarioPlan.Step] = []
    private(set) var parent: [Int] = []
    private(set) var depth: [Int] = []
    private(set) var children: [[Int]] = []
    /// Per chain, its nodes from the root.
    private(set) var paths: [[Int]] = []

    /// With `sharing` false every chain gets nodes of its own (one strategy instance per chain and step).
    init<S: Sequence>(_ chains: [S], sharing: Bool = true) where S.Element == ScenarioPlan.Step {
        var nodeOf: [Key: Int] = [:]
        for (index, chain) in chains.enumerated() {
            var path: [Int] = []
            for step in chain {
                let key = Key(parent: path.last ?? (sharing ? -1 : -2 - index), strategy: step.strategy, parameters: step.parameters)
                if let node = nodeOf[key] {
                    path.append(node)
                    continue
                }
                let node = steps.count
                nodeOf[key] = node
                steps.append(step)
                parent.append(max(-1, key.parent))
                depth.append(path.count)
                children.append([])
                if key.parent >= 0 { children[key.parent].append(node) }
                path.append(node)
            }
            paths.append(path)
        }
    }

    /// The nodes without a parent, in creation order.
    var roots: [Int] { parent.indices.filter { parent[$0] < 0 } }

    /// `node` and everything below it, depth first, children in creation order.
    func subtree(_ node: Int) -> [Int] {
        var order: [Int] = []
        var stack = [node]
        while let next = stack.popLast() {
            order.append(next)
            stack.append(contentsOf: children[next].reversed())
        }
        return order
    }
}
