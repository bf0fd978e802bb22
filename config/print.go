package config

import (
	"io"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Write prints settings as podium.yaml, secrets redacted, each value
// followed by a comment saying where it came from. Top-level keys come
// first, then each section, in the order of settings.
func Write(w io.Writer, settings []Setting) error {
	root := &yaml.Node{Kind: yaml.MappingNode}
	sections := map[string]*yaml.Node{}
	for _, s := range settings {
		to := root
		if sec := s.Key.Section; sec != "" {
			if sections[sec] == nil {
				sections[sec] = &yaml.Node{Kind: yaml.MappingNode}
				root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: sec}, sections[sec])
			}
			to = sections[sec]
		}
		to.Content = append(to.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: s.Key.Name}, valueNode(s))
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return err
	}
	return enc.Close()
}

// valueNode is the value of s, shown as its key's type, with its source.
func valueNode(s Setting) *yaml.Node {
	v := s.Shown()
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: v, LineComment: s.Source, Tag: "!!str"}
	switch {
	case s.Key.typ.Kind() == reflect.Slice:
		n = &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, LineComment: s.Source}
		if v != "" {
			for _, e := range strings.Split(v, ",") {
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: e, Tag: "!!str"})
			}
		}
	case v != "" && s.Key.typ.Kind() != reflect.String && s.Key.typ != reflect.TypeFor[time.Duration]():
		n.Tag = "" // a number or a boolean, written bare
	}
	return n
}
