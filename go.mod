module github.com/podiumhq/podium

go 1.26

require (
	github.com/spf13/cobra v1.10.1
	golang.org/x/image v0.32.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
	golang.org/x/text v0.30.0 // indirect
)
