using OrleansConfig.Sources.Api;
using Xunit;

namespace OrleansConfig.Tests.Sources.Api;

/// <summary>The label and field selector checks: what the API server accepts passes, what it refuses is named.</summary>
public sealed class ApiSelectorsTests
{
    [Theory]
    [InlineData("app")]
    [InlineData("!service.kubernetes.io/service-proxy-name")]
    [InlineData("app=web")]
    [InlineData("app==web")]
    [InlineData("app!=web")]
    [InlineData("app=")]
    [InlineData("tier in (front,back)")]
    [InlineData("tier notin (front, back)")]
    [InlineData("tier in(front)")]
    [InlineData("replicas>1")]
    [InlineData("replicas < 10")]
    [InlineData("example.com/team=payments, app in (web,api), !legacy, env != prod")]
    [InlineData("app.kubernetes.io/name=My_App-1.2")]
    public void A_label_selector_the_server_accepts_is_valid(string selector)
    {
        Assert.Null(ApiSelectors.CheckLabelSelector(selector));
    }

    [Theory]
    [InlineData("app=web,", "empty requirement (a comma too many)")]
    [InlineData("tier in (front", "unbalanced parentheses")]
    [InlineData("tier in (a,(b))", "unbalanced parentheses")]
    [InlineData("tier in ()", "\"tier in ()\": 'in' needs at least one value")]
    [InlineData("tier notin ( )", "\"tier notin ( )\": 'notin' needs at least one value")]
    [InlineData("tier within (a)", "\"tier within (a)\": expected key, !key, key=value, key==value, key!=value, key in (a,b) or key notin (a,b)")]
    [InlineData("!", "\"!\": '!' needs a key")]
    [InlineData("=web", "\"=web\": '=' needs a key before it")]
    [InlineData("app=web!", "\"app=web!\": value \"web!\" must be empty or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit")]
    [InlineData("app!web", "\"app!web\": '!' must come before the key or as part of '!='")]
    [InlineData("-app=web", "\"-app=web\": key \"-app\": name \"-app\" must be at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit")]
    [InlineData("Example.com/app", "\"Example.com/app\": key \"Example.com/app\": prefix \"Example.com\" must be a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253 characters)")]
    [InlineData("example.com/", "\"example.com/\": key \"example.com/\": name \"\" must be at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit")]
    [InlineData("tier in (a,b_)", "\"tier in (a,b_)\": value \"b_\" must be empty or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit")]
    [InlineData("replicas>one", "\"replicas>one\": '>' needs an integer, got \"one\"")]
    public void A_label_selector_the_server_refuses_is_named_with_its_reason(string selector, string error)
    {
        Assert.Equal(error, ApiSelectors.CheckLabelSelector(selector));
    }

    [Fact]
    public void A_label_key_or_value_longer_than_63_characters_is_refused()
    {
        var long64 = new string('a', 64);

        Assert.Null(ApiSelectors.CheckLabelSelector($"{new string('a', 63)}={new string('b', 63)}"));
        Assert.Equal($"\"{long64}\": key \"{long64}\": name \"{long64}\" must be at most 63 letters, digits, '-', '_' and '.', " +
            "starting and ending with a letter or digit", ApiSelectors.CheckLabelSelector(long64));
        Assert.Equal($"\"app={long64}\": value \"{long64}\" must be empty or at most 63 letters, digits, '-', '_' and '.', " +
            "starting and ending with a letter or digit", ApiSelectors.CheckLabelSelector($"app={long64}"));
    }

    [Theory]
    [InlineData("metadata.name=web")]
    [InlineData("metadata.namespace==team-a")]
    [InlineData("metadata.namespace!=kube-system,metadata.name!=kubernetes")]
    [InlineData("metadata.name=")]
    [InlineData(@"metadata.name=a\,b\=c\!d\\")]
    public void A_field_selector_over_the_shared_fields_is_valid(string selector)
    {
        Assert.Null(ApiSelectors.CheckFieldSelector(selector));
    }

    [Theory]
    [InlineData("metadata.name", "\"metadata.name\": needs an operator (=, == or !=)")]
    [InlineData("=web", "\"=web\": names no field")]
    [InlineData("metadata.name=web,", "empty term (a comma too many)")]
    [InlineData("spec.type=NodePort", "\"spec.type=NodePort\": field \"spec.type\" is not supported; use metadata.name or metadata.namespace (the fields Services and their Endpoints share)")]
    [InlineData("metadata.name=a=b", "\"metadata.name=a=b\": '=' in a value must be escaped as '\\='")]
    [InlineData(@"metadata.name=a\b", "\"metadata.name=a\\b\": '\\' must escape ',', '=', '!' or '\\'")]
    public void A_field_selector_the_server_or_the_endpoints_would_refuse_is_named_with_its_reason(string selector, string error)
    {
        Assert.Equal(error, ApiSelectors.CheckFieldSelector(selector));
    }

    [Fact]
    public void Bad_selectors_stop_the_source_naming_their_keys()
    {
        var errors = ApiSourceOptionsValidator.Check(new ApiSourceOptions
        {
            Server = "http://127.0.0.1:8080",
            LabelSelector = "app in (web",
            FieldSelector = "spec.clusterIP=None",
        });

        Assert.Equal(
        [
            "Sources:Api:LabelSelector: unbalanced parentheses",
            "Sources:Api:FieldSelector: \"spec.clusterIP=None\": field \"spec.clusterIP\" is not supported; use metadata.name or " +
                "metadata.namespace (the fields Services and their Endpoints share)",
        ], errors);
        Assert.Empty(ApiSourceOptionsValidator.Check(new ApiSourceOptions
        {
            Server = "http://127.0.0.1:8080",
            LabelSelector = " !service.kubernetes.io/service-proxy-name ",
            FieldSelector = "metadata.namespace!=kube-system",
        }));
        Assert.Empty(ApiSourceOptionsValidator.Check(new ApiSourceOptions { Server = "http://127.0.0.1:8080", LabelSelector = " " }));
    }

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("app=web", null, "app=web", null)]
    [InlineData(null, "metadata.namespace!=kube-system", null, "metadata.namespace!=kube-system")]
    [InlineData("!legacy", "metadata.name==web,metadata.namespace=shop", "!legacy,kubernetes.io/service-name=web", "metadata.namespace=shop")]
    [InlineData(null, "metadata.name!=db", "kubernetes.io/service-name!=db", null)]
    public void Slices_are_selected_by_their_services_labels_and_namespace_and_a_service_name_by_their_label(
        string? labels, string? fields, string? sliceLabels, string? sliceFields)
    {
        Assert.Equal((sliceLabels, sliceFields), ApiSelectors.ForSlices(labels, fields));
    }

    [Fact]
    public void Namespaces_are_dns_labels_kept_once_in_order_and_a_bad_one_is_named()
    {
        Assert.Null(ApiSelectors.CheckNamespaces(" team-b, team-a,team-b ", out var names));
        Assert.Equal(["team-b", "team-a"], names);
        Assert.Equal(["team-b", "team-a"], new ApiSourceOptions { Namespaces = " team-b, team-a,team-b " }.NamespaceList);
        Assert.Empty(new ApiSourceOptions { Namespaces = " " }.NamespaceList);

        Assert.Equal("empty namespace (a comma too many)", ApiSelectors.CheckNamespaces("team-a,", out _));
        Assert.Equal(
        [
            "Sources:Api:Namespaces: \"Team_A\" is not a namespace name (at most 63 lower-case letters, digits and '-', starting " +
                "and ending with a letter or digit)",
        ], ApiSourceOptionsValidator.Check(new ApiSourceOptions { Server = "http://127.0.0.1:8080", Namespaces = "team-b,Team_A" }));
        Assert.Single(ApiSourceOptionsValidator.Check(new ApiSourceOptions
        {
            Server = "http://127.0.0.1:8080",
            Namespaces = new string('a', 64),
        }), e => e.StartsWith("Sources:Api:Namespaces: \"aaaa", StringComparison.Ordinal));
    }
}
