from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from rest_framework import serializers

from agents.models import Role, Store, Team, User


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "channels", "is_default", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_channels(self, value):
        from channels_integrations.registry import CHANNELS

        if not isinstance(value, list) or any(item not in CHANNELS for item in value):
            raise serializers.ValidationError(f"A list of channels from: {', '.join(CHANNELS)}.")
        return value


class StoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Store
        fields = ["id", "name", "code", "city", "address", "phone", "team", "created_at"]
        read_only_fields = ["id", "created_at"]


class AgentSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    teams = serializers.PrimaryKeyRelatedField(many=True, queryset=Team.objects.all(), required=False)
    stores = serializers.PrimaryKeyRelatedField(many=True, queryset=Store.objects.all(), required=False)

    class Meta:
        model = User
        fields = ["id", "username", "name", "email", "password", "role", "teams", "stores",
                  "skills", "capacity", "is_active"]
        read_only_fields = ["id"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["role"] = instance.effective_role
        return data

    def validate_password(self, value: str) -> str:
        validate_password(value)
        return value

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": "A new account needs a password."})
        return attrs

    def create(self, validated):
        teams, stores = validated.pop("teams", []), validated.pop("stores", [])
        password = validated.pop("password")
        user = User(**validated)
        user.set_password(password)
        user.save()
        user.teams.set(teams)
        user.stores.set(stores)
        return user

    def update(self, instance, validated):
        password = validated.pop("password", None)
        teams, stores = validated.pop("teams", None), validated.pop("stores", None)
        for key, value in validated.items():
            setattr(instance, key, value)
        if password:
            instance.set_password(password)
        instance.save()
        if teams is not None:
            instance.teams.set(teams)
        if stores is not None:
            instance.stores.set(stores)
        return instance
