namespace GradDescent.Deploy.Testing;

/// <summary>promtool (Debian package prometheus): rule and configuration checks and rule unit tests.</summary>
public static class PromTool
{
    /// <summary><c>promtool check rules FILES</c>: syntax, PromQL and templates of rule files.</summary>
    public static ToolResult CheckRules(params string[] files) => ExternalTool.Run("promtool", ["check", "rules", .. files]);

    /// <summary><c>promtool test rules FILE</c>: runs rule unit tests (alert_rule_test, promql_expr_test).</summary>
    public static ToolResult TestRules(string testFile) =>
        ExternalTool.Run("promtool", ["test", "rules", Path.GetFileName(testFile)], Path.GetDirectoryName(testFile));

    /// <summary><c>promtool check config FILE</c>: a Prometheus configuration and the rule files it names.</summary>
    public static ToolResult CheckConfig(string file) =>
        ExternalTool.Run("promtool", ["check", "config", Path.GetFileName(file)], Path.GetDirectoryName(file));
}
